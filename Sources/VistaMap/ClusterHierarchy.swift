import VistaCore

/// Clusters of the kNN graph at two levels: coarse (big regions) and fine (their parts).
///
/// Both come from Louvain: fine clusters at `fineResolution` (1 = classic modularity), coarse ones at
/// the lower `coarseResolution`, which merges well-linked neighbours into regions. Each fine cluster is
/// then assigned to the coarse cluster holding most of its points, and every point takes its fine
/// cluster's coarse parent, so the levels nest exactly. Cluster ids are ordered by size (0 = largest).
/// Clusters below `minimumSize` points (the paper's 4) are merged into the neighbour cluster they link
/// to most, or become noise (-1) when they link to none.
public struct ClusterHierarchy: Sendable, Codable, Equatable {
  /// Coarse cluster per point (-1 = noise).
  public var coarse: [Int]
  /// Fine cluster per point (-1 = noise); every fine cluster lies inside one coarse cluster.
  public var fine: [Int]
  /// The coarse cluster that holds each fine cluster.
  public var parentOfFine: [Int]
  public var coarseCount: Int
  public var fineCount: Int

  /// Members of each coarse cluster.
  public var coarseMembers: [[Int]] { Self.members(coarse, count: coarseCount) }
  /// Members of each fine cluster.
  public var fineMembers: [[Int]] { Self.members(fine, count: fineCount) }

  static func members(_ labels: [Int], count: Int) -> [[Int]] {
    var out = [[Int]](repeating: [], count: count)
    for (i, c) in labels.enumerated() where c >= 0 { out[c].append(i) }
    return out
  }

  /// Detects clusters on the graph.
  ///
  /// - Parameters:
  ///   - coarseResolution: Louvain resolution of the coarse level (default 0.3).
  ///   - fineResolution: Louvain resolution of the fine level (default 1).
  ///   - minimumSize: smallest cluster kept as its own (default 4).
  public static func detect(
    graph: NeighborGraph, coarseResolution: Float = 0.3, fineResolution: Float = 1, minimumSize: Int = 4, seed: UInt64,
    progress: Progress = .none
  ) throws -> ClusterHierarchy {
    guard graph.count > 0 else { return ClusterHierarchy(coarse: [], fine: [], parentOfFine: [], coarseCount: 0, fineCount: 0) }
    let fineLevels = try Louvain.levels(graph: graph, resolution: fineResolution, seed: seed, progress: progress)
    let coarseLevels = try Louvain.levels(graph: graph, resolution: coarseResolution, seed: seed, progress: progress)
    let (fine, fineCount) = mergeSmall(fineLevels[fineLevels.count - 1], graph: graph, minimumSize: minimumSize)
    let (coarseRaw, coarseRawCount) = mergeSmall(coarseLevels[coarseLevels.count - 1], graph: graph, minimumSize: minimumSize)
    // Nest: each fine cluster goes to the coarse cluster that holds most of its points.
    var votes = [[Int]](repeating: [Int](repeating: 0, count: max(1, coarseRawCount)), count: fineCount)
    for i in fine.indices where fine[i] >= 0 && coarseRaw[i] >= 0 { votes[fine[i]][coarseRaw[i]] += 1 }
    let parentRaw = votes.map { v in v.indices.max { v[$0] != v[$1] ? v[$0] < v[$1] : $0 > $1 } ?? 0 }
    let nested = fine.map { $0 >= 0 ? parentRaw[$0] : -1 }
    // Renumber coarse clusters by size after nesting (some may have lost all their points).
    let (coarse, coarseCount) = mergeSmall(nested, graph: graph, minimumSize: 1)
    var parent = [Int](repeating: -1, count: fineCount)
    for i in fine.indices where fine[i] >= 0 { parent[fine[i]] = coarse[i] }
    return ClusterHierarchy(coarse: coarse, fine: fine, parentOfFine: parent, coarseCount: coarseCount, fineCount: fineCount)
  }

  /// Merges clusters smaller than `minimumSize` into their most-linked neighbour , then renumbers by size, largest first.
  static func mergeSmall(_ labels: [Int], graph: NeighborGraph, minimumSize: Int) -> ([Int], Int) {
    var labels = labels
    for _ in 0..<4 {
      var size: [Int: Int] = [:]
      for c in labels where c >= 0 { size[c, default: 0] += 1 }
      let small = size.filter { $0.value < minimumSize }.keys.sorted()
      if small.isEmpty { break }
      var changed = false
      for c in small {
        var link: [Int: Float] = [:]
        for i in labels.indices where labels[i] == c {
          for e in graph.rowPointers[i]..<graph.rowPointers[i + 1] {
            let j = Int(graph.neighbors[e])
            let d = labels[j]
            if d >= 0, d != c, (size[d] ?? 0) >= minimumSize {
              link[d, default: 0] += graph.weights[e]
            }
          }
        }
        let target = link.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? -1
        for i in labels.indices where labels[i] == c { labels[i] = target }
        changed = true
      }
      if !changed { break }
    }
    var size: [Int: Int] = [:]
    for c in labels where c >= 0 { size[c, default: 0] += 1 }
    let order = size.keys.sorted { size[$0]! != size[$1]! ? size[$0]! > size[$1]! : $0 < $1 }
    var newId: [Int: Int] = [:]
    for (k, c) in order.enumerated() { newId[c] = k }
    return (labels.map { $0 >= 0 ? newId[$0]! : -1 }, order.count)
  }
}
