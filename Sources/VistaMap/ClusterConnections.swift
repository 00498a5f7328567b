/// Links between clusters where the kNN graph joins them ("connections between clusters explicitly
/// shown", paper §2).
///
/// strength(a, b) = W(a, b) / sqrt(vol(a) * vol(b)), where W is the summed edge weight between the two
/// clusters and vol the summed weighted degree of each: a scale-free value in [0, 1] (a cosine between
/// the clusters' edge sets) so big clusters do not dominate. `share` is W over the graph's total
/// cross-cluster weight.
public struct ClusterConnection: Sendable, Codable, Equatable {
  public var from: Int
  public var to: Int
  public var weight: Float
  public var strength: Float
  public var share: Float

  /// Connections between the clusters of `labels` with strength >= `minimumStrength`, strongest first,
  /// at most `perCluster` per cluster (the strongest ones of each endpoint are kept).
  public static func between(
    labels: [Int], clusterCount: Int, graph: NeighborGraph, minimumStrength: Float = 0.01, perCluster: Int = 4
  ) -> [ClusterConnection] {
    var volume = [Float](repeating: 0, count: clusterCount)
    var cross: [Int: Float] = [:]
    var totalCross: Float = 0
    for i in 0..<graph.count where labels[i] >= 0 {
      for e in graph.rowPointers[i]..<graph.rowPointers[i + 1] {
        let j = Int(graph.neighbors[e]), w = graph.weights[e]
        volume[labels[i]] += w
        let a = labels[i], b = labels[j]
        if b >= 0, a < b { cross[a * clusterCount + b, default: 0] += w; totalCross += w }
      }
    }
    var all = cross.map { key, w -> ClusterConnection in
      let a = key / clusterCount, b = key % clusterCount
      return ClusterConnection(
        from: a, to: b, weight: w, strength: w / max(1e-12, (volume[a] * volume[b]).squareRoot()),
        share: w / max(totalCross, 1e-12))
    }.filter { $0.strength >= minimumStrength }
    all.sort { $0.strength != $1.strength ? $0.strength > $1.strength : ($0.from, $0.to) < ($1.from, $1.to) }
    var used = [Int](repeating: 0, count: clusterCount)
    return all.filter { c in
      guard used[c.from] < perCluster || used[c.to] < perCluster else { return false }
      used[c.from] += 1; used[c.to] += 1
      return true
    }
  }
}
