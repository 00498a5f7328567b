import VistaCore

/// Trustworthiness and continuity (Venna & Kaski 2001).
///
/// Trustworthiness is `sklearn.manifold.trustworthiness`: with r(i, j) the rank of j among i's
/// neighbours in the input (1 = nearest, self excluded, ties by smaller index) and N_k^out(i) the k
/// nearest points in the layout,
/// T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^out(i)} max(0, r(i, j) − k).
/// Continuity swaps the roles: input neighbourhoods, ranks in the layout. Both are 1 for a
/// perfect layout. Defaults follow sklearn (Euclidean on both sides); pass the high-dimensional
/// metric the layout was made with to judge it on its own terms.
public enum Trustworthiness {
  public static func trustworthiness(high: LayoutInput, low: Matrix, k: Int = 5, highMetric: Metric = .euclidean,
                                     threads: Int = defaultThreadCount, progress: Progress = .none) throws -> Double {
    try score(high: high, low: low, k: k, highMetric: highMetric, continuity: false, threads: threads, progress: progress)
  }

  public static func continuity(high: LayoutInput, low: Matrix, k: Int = 5, highMetric: Metric = .euclidean,
                                threads: Int = defaultThreadCount, progress: Progress = .none) throws -> Double {
    try score(high: high, low: low, k: k, highMetric: highMetric, continuity: true, threads: threads, progress: progress)
  }

  static func score(high: LayoutInput, low: Matrix, k: Int, highMetric: Metric, continuity: Bool,
                    threads: Int, progress: Progress) throws -> Double {
    let n = high.rows
    guard k >= 1, Double(k) < Double(n) / 2 else {
      throw VistaError("k must be ≥ 1 and below n/2 = \(Double(n) / 2), got \(k)", at: "option k")
    }
    let paired = try PairedDistanceRows(high: high, low: .dense(low), rules: NeighborRules(high: highMetric, low: .euclidean))
    var penalties = [Double](repeating: 0, count: n)
    try penalties.withUnsafeMutableBufferPointer { out in
      try paired.forEachRow(threads: threads, progress: progress, label: continuity ? "continuity" : "trustworthiness") {
        i, highRow, lowRow in
        // Neighbourhoods from one space, ranks in the other.
        let neighbourRow = continuity ? highRow : lowRow
        let rankRow = continuity ? lowRow : highRow
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: n - 1)
        defer { keys.deallocate() }
        MutualKNN.fill(keys, row: neighbourRow, n: n, excluding: i)
        OrderedKeys.select(keys, count: n - 1, nth: k - 1)
        // The k neighbours' keys in the ranking space, ascending.
        var queries = (0..<k).map { e -> UInt64 in
          let j = OrderedKeys.index(keys[e])
          return OrderedKeys.key(rankRow[j], j)
        }
        queries.sort()
        // histogram[t] = number of points l ≠ i with exactly t queries ≤ key(l).
        var histogram = [Int](repeating: 0, count: k + 1)
        queries.withUnsafeBufferPointer { q in
          for l in 0..<n where l != i {
            let key = OrderedKeys.key(rankRow[l], l)
            var lo = 0, hi = k
            while lo < hi {
              let mid = (lo + hi) >> 1
              if q[mid] <= key { lo = mid + 1 } else { hi = mid }
            }
            histogram[lo] += 1
          }
        }
        // Rank of the q-th query (1-based) = 1 + #{l : key(l) < query_q} = 1 + Σ_{t < q} histogram[t].
        var below = 0, penalty = 0
        for q in 1...k {
          below += histogram[q - 1]
          penalty += max(0, below + 1 - k)
        }
        out[i] = Double(penalty)
      }
    }
    let total = penalties.reduce(0, +)
    let nn = Double(n), kk = Double(k)
    return 1 - total * 2 / (nn * kk * (2 * nn - 3 * kk - 1))
  }
}
