import VistaCore

/// Community detection on the kNN graph by modularity (Blondel et al. 2008, "Louvain").
///
/// Deterministic for a seed: nodes are visited in a seeded random order and ties go to the lowest
/// community id. Each aggregation level is kept, so the first level gives fine clusters and the last
/// gives coarse ones: the label hierarchy.
enum Louvain {
  /// Partitions of the original nodes, one per level, finest first. Community ids are 0..<count.
  ///
  /// - Parameters:
  ///   - resolution: gamma in Q = sum_c [w_in(c)/2m - gamma (tot(c)/2m)^2]; above 1 gives more clusters.
  static func levels(graph: NeighborGraph, resolution: Float, seed: UInt64, progress: Progress) throws -> [[Int]] {
    var adjacency: [[(Int, Float)]] = (0..<graph.count).map { i in
      (graph.rowPointers[i]..<graph.rowPointers[i + 1]).map { (Int(graph.neighbors[$0]), graph.weights[$0]) }
    }
    var selfLoops = [Float](repeating: 0, count: graph.count)
    var membership = Array(0..<graph.count)
    var levels: [[Int]] = []
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<12 {
      try progress.checkCancelled()
      let (local, moved) = oneLevel(adjacency: adjacency, selfLoops: selfLoops, resolution: resolution, rng: &rng)
      let communities = (local.max() ?? -1) + 1
      if !moved || communities == adjacency.count { break }
      membership = membership.map { local[$0] }
      levels.append(membership)
      // Aggregate: one node per community, edge weights summed, internal weight kept as a self loop.
      var merged = [[Int: Float]](repeating: [:], count: communities)
      var loops = [Float](repeating: 0, count: communities)
      for i in adjacency.indices {
        loops[local[i]] += selfLoops[i]
        for (j, w) in adjacency[i] {
          if local[i] == local[j] { loops[local[i]] += w } else { merged[local[i]][local[j], default: 0] += w }
        }
      }
      adjacency = merged.map { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
      selfLoops = loops
      if communities == 1 { break }
    }
    if levels.isEmpty { levels.append(membership) }
    return levels
  }

  /// One local-moving phase; returns renumbered communities and whether any node moved.
  static func oneLevel(
    adjacency: [[(Int, Float)]], selfLoops: [Float], resolution: Float, rng: inout SeededGenerator
  ) -> ([Int], Bool) {
    let n = adjacency.count
    var degree = [Double](repeating: 0, count: n)
    for i in 0..<n { degree[i] = Double(selfLoops[i]) + adjacency[i].reduce(0) { $0 + Double($1.1) } }
    // Self loops hold internal weight counted once per direction in the original graph.
    let m2 = max(degree.reduce(0, +), 1e-12)
    var community = Array(0..<n)
    var total = degree
    var order = Array(0..<n)
    order.shuffle(using: &rng)
    var movedAny = false
    var weightTo = [Double](repeating: 0, count: n)
    var touched: [Int] = []
    let gamma = Double(resolution)
    for _ in 0..<32 {
      var moves = 0
      for i in order {
        let own = community[i]
        touched.removeAll(keepingCapacity: true)
        for (j, w) in adjacency[i] where j != i {
          let c = community[j]
          if weightTo[c] == 0 { touched.append(c) }
          weightTo[c] += Double(w)
        }
        total[own] -= degree[i]
        var best = own
        var bestGain = weightTo[own] - gamma * total[own] * degree[i] / m2
        for c in touched.sorted() {
          let gain = weightTo[c] - gamma * total[c] * degree[i] / m2
          if gain > bestGain + 1e-12 { bestGain = gain; best = c }
        }
        total[best] += degree[i]
        for c in touched { weightTo[c] = 0 }
        weightTo[own] = 0
        if best != own { community[i] = best; moves += 1; movedAny = true }
      }
      if moves == 0 { break }
    }
    var renumber: [Int: Int] = [:]
    var out = [Int](repeating: 0, count: n)
    for i in 0..<n {
      if renumber[community[i]] == nil { renumber[community[i]] = renumber.count }
      out[i] = renumber[community[i]]!
    }
    return (out, movedAny)
  }
}
