/// PageRank on a weighted undirected graph given as adjacency lists.
///
/// Used to pick a tile's representative caption: the most central member of the tile's kNN subgraph,
/// as Embedding Atlas does for images. Unlike a 2-D centroid, this is a caption its neighbours agree
/// on, and unlike a latent medoid it needs no O(m^2 d) distances.
enum PageRank {
  /// Scores for each node (summing to 1). Dangling nodes spread their mass uniformly.
  ///
  /// - Complexity: O(iterations * edges).
  static func scores(adjacency: [[(Int, Float)]], damping: Float = 0.85, iterations: Int = 60, tolerance: Float = 1e-7) -> [Float] {
    let n = adjacency.count
    if n == 0 { return [] }
    let outWeight = adjacency.map { $0.reduce(Float(0)) { $0 + $1.1 } }
    var rank = [Float](repeating: 1 / Float(n), count: n)
    var next = rank
    for _ in 0..<iterations {
      var dangling: Float = 0
      for i in 0..<n where outWeight[i] <= 0 { dangling += rank[i] }
      let base = (1 - damping) / Float(n) + damping * dangling / Float(n)
      for i in 0..<n { next[i] = base }
      for i in 0..<n where outWeight[i] > 0 {
        let share = damping * rank[i] / outWeight[i]
        for (j, w) in adjacency[i] { next[j] += share * w }
      }
      var delta: Float = 0
      for i in 0..<n { delta += abs(next[i] - rank[i]) }
      swap(&rank, &next)
      if delta < tolerance { break }
    }
    return rank
  }
}
