import Foundation
import VistaCore

/// An undirected weighted graph over the map's points in CSR form: the kNN graph that clusters,
/// tile representatives (PageRank) and cluster connections are computed on.
///
/// Built from a kNN list supplied by the layout stage (latent-space neighbours, preferred: that is the
/// structure UMAP tried to keep) or, failing that, from exact 2-D neighbours on the map. Directed kNN
/// edges are symmetrised as a fuzzy union like UMAP's graph: an edge found in both directions weighs 1,
/// one found in only one direction weighs 0.5 (times the supplied weight, if any).
public struct NeighborGraph: Sendable, Equatable {
  public let count: Int
  public var rowPointers: [Int]
  public var neighbors: [Int32]
  public var weights: [Float]

  /// Builds the symmetric graph from an n x k kNN index list (row-major; -1 and self entries skipped).
  ///
  /// - Parameters:
  ///   - indices: n * k neighbour indices.
  ///   - k: neighbours per row.
  ///   - similarities: optional n * k edge weights in (0, 1]; 1 when nil.
  /// - Throws: `VistaError` when the shape does not match or an index is out of range.
  public init(knnIndices indices: [Int32], k: Int, count n: Int, similarities: [Float]? = nil) throws {
    guard k > 0, indices.count == n * k else {
      throw VistaError("kNN list has \(indices.count) entries, expected \(n) x \(k)", at: "knn")
    }
    if let s = similarities, s.count != indices.count {
      throw VistaError("kNN weights have \(s.count) entries, expected \(indices.count)", at: "knn")
    }
    var directed = [[(Int32, Float)]](repeating: [], count: n)
    for i in 0..<n {
      for j in 0..<k {
        let t = indices[i * k + j]
        if t < 0 || Int(t) == i { continue }
        guard Int(t) < n else { throw VistaError("neighbour index \(t) out of range 0..<\(n)", at: "knn row \(i)") }
        let w = similarities.map { max($0[i * k + j], 0) } ?? 1
        directed[i].append((t, w))
      }
    }
    self = NeighborGraph.symmetrised(directed)
  }

  /// Exact k nearest neighbours in the plane (brute force; 4,000 points take a few milliseconds),
  /// weighted by a Gaussian of the distance scaled by each point's k-th neighbour distance.
  public init(planar points: [SIMD2<Float>], k: Int) {
    let n = points.count
    let kk = max(1, min(k, n - 1))
    var lists = [[(Int32, Float)]](repeating: [], count: n)
    if n > 1 {
      var rows = [[(Int32, Float)]](repeating: [], count: n)
      points.withUnsafeBufferPointer { p in
        rows.withUnsafeMutableBufferPointer { out in
          let base = out.baseAddress!
          parallelFor(max(1, min(n, 8))) { chunk in
            let lo = chunk * n / min(n, 8), hi = (chunk + 1) * n / min(n, 8)
            var best = [(Float, Int32)]()
            best.reserveCapacity(kk + 1)
            for i in lo..<hi {
              best.removeAll(keepingCapacity: true)
              let pi = p[i]
              for j in 0..<n where j != i {
                let d = pi - p[j]
                let d2 = d.x * d.x + d.y * d.y
                if best.count < kk || d2 < best[best.count - 1].0 || (d2 == best[best.count - 1].0 && Int32(j) < best[best.count - 1].1) {
                  var pos = best.count
                  while pos > 0 && (best[pos - 1].0 > d2 || (best[pos - 1].0 == d2 && best[pos - 1].1 > Int32(j))) { pos -= 1 }
                  best.insert((d2, Int32(j)), at: pos)
                  if best.count > kk { best.removeLast() }
                }
              }
              let sigma2 = max(best.last?.0 ?? 1, 1e-12)
              base[i] = best.map { ($0.1, exp(-$0.0 / sigma2)) }
            }
          }
        }
      }
      lists = rows
    }
    self = NeighborGraph.symmetrised(lists)
  }

  init(count: Int, rowPointers: [Int], neighbors: [Int32], weights: [Float]) {
    self.count = count
    self.rowPointers = rowPointers
    self.neighbors = neighbors
    self.weights = weights
  }

  /// Edge weights from kNN distances: exp(-(d - rho) / sigma) per row, rho = the row's smallest
  /// non-zero distance, sigma = the row's mean of (d - rho) (floored); self entries (d = 0) get 1.
  public static func similarities(distances: [Float], k: Int) -> [Float] {
    var out = [Float](repeating: 1, count: distances.count)
    guard k > 0 else { return out }
    for row in 0..<(distances.count / k) {
      let d = distances[(row * k)..<((row + 1) * k)]
      let rho = d.filter { $0 > 0 }.min() ?? 0
      let excess = d.map { max(0, $0 - rho) }
      let sigma = max(excess.reduce(0, +) / Float(k), 1e-6)
      for (j, e) in excess.enumerated() { out[row * k + j] = exp(-e / sigma) }
    }
    return out
  }

  /// Fuzzy-union symmetrisation: w = a + b - a*b for the two directed weights (UMAP's rule).
  static func symmetrised(_ directed: [[(Int32, Float)]]) -> NeighborGraph {
    let n = directed.count
    var merged = [[Int32: Float]](repeating: [:], count: n)
    for i in 0..<n {
      for (j, w) in directed[i] {
        merged[i][j] = max(merged[i][j] ?? 0, w)
      }
    }
    var pointers = [0]
    pointers.reserveCapacity(n + 1)
    var nbrs: [Int32] = []
    var wts: [Float] = []
    var union = [[Int32: Float]](repeating: [:], count: n)
    for i in 0..<n {
      for (j, a) in merged[i] {
        let b = merged[Int(j)][Int32(i)] ?? 0
        union[i][j] = a + b - a * b
        union[Int(j)][Int32(i)] = a + b - a * b
      }
    }
    for i in 0..<n {
      for j in union[i].keys.sorted() where union[i][j]! > 0 {
        nbrs.append(j)
        wts.append(union[i][j]!)
      }
      pointers.append(nbrs.count)
    }
    return NeighborGraph(count: n, rowPointers: pointers, neighbors: nbrs, weights: wts)
  }
}

