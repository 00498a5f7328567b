import VistaCore
@testable import VistaLayout

/// Seeded synthetic data for the layout tests.
enum TestData {
  /// `clusters` Gaussian blobs in `dim` dimensions, centres ~N(0, spread²), unit noise.
  static func blobs(perCluster: Int, clusters: Int, dim: Int, spread: Double = 10, seed: UInt64 = 1) -> (Matrix, [Int]) {
    var rng = SeededGenerator(seed: seed)
    let centres = (0..<clusters).map { _ in (0..<dim).map { _ in rng.nextGaussian() * spread } }
    var values: [Float] = []
    var labels: [Int] = []
    for c in 0..<clusters {
      for _ in 0..<perCluster {
        for d in 0..<dim { values.append(Float(centres[c][d] + rng.nextGaussian())) }
        labels.append(c)
      }
    }
    return (Matrix(rows: clusters * perCluster, cols: dim, storage: values), labels)
  }

  static func random(rows: Int, cols: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    return Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in Float(rng.nextGaussian()) })
  }

  /// Sparse non-negative codes: each cluster activates its own pool of latents, plus latent 0 always on.
  static func sparseCodes(perCluster: Int, clusters: Int, cols: Int, active: Int, seed: UInt64) -> (SparseMatrix, [Int]) {
    var rng = SeededGenerator(seed: seed)
    let pools = (0..<clusters).map { _ in (0..<(3 * active)).map { _ in 1 + Int(rng.next() % UInt64(cols - 1)) } }
    var pointers = [0], indices: [Int32] = [], values: [Float] = [], labels: [Int] = []
    for c in 0..<clusters {
      for _ in 0..<perCluster {
        var chosen = Set<Int>([0])
        while chosen.count < active { chosen.insert(pools[c][Int(rng.next() % UInt64(pools[c].count))]) }
        for col in chosen.sorted() {
          indices.append(Int32(col))
          values.append(col == 0 ? Float(1 + rng.nextUnitDouble() * 4) : Float(0.1 + rng.nextUnitDouble()))
        }
        pointers.append(indices.count)
        labels.append(c)
      }
    }
    return (SparseMatrix(rows: clusters * perCluster, cols: cols, rowPointers: pointers, columnIndices: indices, values: values), labels)
  }

  /// Brute-force distance, written independently of the library's BLAS path.
  static func distance(_ x: [Float], _ y: [Float], _ metric: Metric) -> Double {
    let xd = x.map(Double.init), yd = y.map(Double.init)
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    func cos(_ a: [Double], _ b: [Double]) -> Double {
      let na = dot(a, a).squareRoot(), nb = dot(b, b).squareRoot()
      if na == 0 && nb == 0 { return 0 }
      if na == 0 || nb == 0 { return 1 }
      return max(0, 1 - dot(a, b) / (na * nb))
    }
    switch metric {
    case .euclidean: return zip(xd, yd).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    case .cosine: return cos(xd, yd)
    case .dot: return 1 - dot(xd, yd)
    case .correlation:
      let mx = xd.reduce(0, +) / Double(xd.count), my = yd.reduce(0, +) / Double(yd.count)
      return cos(xd.map { $0 - mx }, yd.map { $0 - my })
    case .vista(let axis, let w):
      return cos(xd, yd) + Double(w) * abs(xd[axis] - yd[axis])
    }
  }

  /// Each point's k nearest others by brute force, ties by index.
  static func bruteNeighbours(_ rows: [[Float]], k: Int, metric: Metric) -> [[Int]] {
    rows.indices.map { i in
      rows.indices.filter { $0 != i }
        .map { (distance(rows[i], rows[$0], metric), $0) }
        .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        .prefix(k).map { $0.1 }
    }
  }

  static func rows(_ m: Matrix) -> [[Float]] { (0..<m.rows).map { m.row($0) } }
}
