import VistaCore

/// Each point's k nearest neighbours, nearest first, ties broken by the smaller index.
///
/// Row-major n × k arrays. When `includesSelf` is true, column 0 of row i is i itself at distance
/// 0, as umap-learn builds its graph; metrics that compare neighbour sets use graphs without self.
public struct KNNGraph: Sendable, Equatable {
  public var indices: [Int32]
  public var distances: [Float]
  public let n: Int
  public let k: Int
  public let includesSelf: Bool

  public init(indices: [Int32], distances: [Float], n: Int, k: Int, includesSelf: Bool) {
    precondition(indices.count == n * k && distances.count == n * k, "kNN arrays must hold n × k entries")
    self.indices = indices
    self.distances = distances
    self.n = n
    self.k = k
    self.includesSelf = includesSelf
  }

  /// Row i's neighbour indices.
  public func neighbors(of i: Int) -> ArraySlice<Int32> { indices[(i * k)..<((i + 1) * k)] }

  /// The same graph with self removed (column 0 dropped) or added (prepended at distance 0, last
  /// neighbour dropped), so callers can ask for either convention.
  public func withSelf(_ wanted: Bool) -> KNNGraph {
    if wanted == includesSelf { return self }
    var idx = [Int32](), dist = [Float]()
    idx.reserveCapacity(indices.count)
    dist.reserveCapacity(distances.count)
    if includesSelf {
      for i in 0..<n {
        idx.append(contentsOf: indices[(i * k + 1)..<((i + 1) * k)])
        dist.append(contentsOf: distances[(i * k + 1)..<((i + 1) * k)])
      }
      return KNNGraph(indices: idx, distances: dist, n: n, k: k - 1, includesSelf: false)
    }
    for i in 0..<n {
      idx.append(Int32(i)); dist.append(0)
      idx.append(contentsOf: indices[(i * k)..<((i + 1) * k - 1)])
      dist.append(contentsOf: distances[(i * k)..<((i + 1) * k - 1)])
    }
    return KNNGraph(indices: idx, distances: dist, n: n, k: k, includesSelf: true)
  }

  /// Checks shape and index range of a graph that came from outside (a precomputed kNN).
  public func validate() throws {
    guard k >= 1 else { throw VistaError("a kNN graph needs k ≥ 1", at: "knn") }
    for (e, j) in indices.enumerated() where j < 0 || Int(j) >= n {
      throw VistaError("neighbour index \(j) out of range 0..<\(n)", at: "knn row \(e / k), column \(e % k)")
    }
    for (e, d) in distances.enumerated() where !d.isFinite {
      throw VistaError("non-finite distance", at: "knn row \(e / k), column \(e % k)")
    }
  }
}
