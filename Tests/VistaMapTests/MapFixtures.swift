import VistaCore
@testable import VistaMap

/// Small hand-made inputs shared by the map tests.
enum MapFixtures {
  /// `groups` tight clusters of `size` points on a circle, captions themed per cluster.
  static func blobs(groups: Int = 4, size: Int = 30, seed: UInt64 = 3) -> (positions: [SIMD2<Float>], captions: [String], activations: [Float], truth: [Int]) {
    var rng = SeededGenerator(seed: seed)
    let themes = ["apple orchard harvest", "violin concert hall", "snow mountain cabin", "robot factory circuit", "desert camel dunes", "ocean beach waves"]
    var p: [SIMD2<Float>] = [], c: [String] = [], a: [Float] = [], t: [Int] = []
    for g in 0..<groups {
      let angle = Float(g) / Float(groups) * 2 * .pi
      let centre = SIMD2<Float>(10 * cosf(angle), 10 * sinf(angle))
      for i in 0..<size {
        p.append(centre + SIMD2(Float(rng.nextGaussian()), Float(rng.nextGaussian())) * 0.6)
        c.append("a \(i % 2 == 0 ? "small" : "large") \(themes[g % themes.count]) number \(i)")
        a.append(Float(g) + rng.nextUnitFloat())
        t.append(g)
      }
    }
    return (p, c, a, t)
  }

  /// Cosine kNN (self excluded) of sparse rows by brute force: test-sized inputs only.
  static func cosineKNN(_ m: SparseMatrix, k: Int) -> [Int32] {
    let dense = m.toDense()
    var norms = [Float](repeating: 0, count: m.rows)
    for i in 0..<m.rows { norms[i] = max(1e-12, (0..<m.cols).reduce(Float(0)) { $0 + dense[i, $1] * dense[i, $1] }.squareRoot()) }
    var out: [Int32] = []
    for i in 0..<m.rows {
      var sims: [(Float, Int)] = []
      for j in 0..<m.rows where j != i {
        var dot: Float = 0
        for e in m.rowPointers[i]..<m.rowPointers[i + 1] { dot += m.values[e] * dense[j, Int(m.columnIndices[e])] }
        sims.append((dot / (norms[i] * norms[j]), j))
      }
      sims.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
      out += sims.prefix(k).map { Int32($0.1) }
    }
    return out
  }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
