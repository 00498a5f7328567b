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
    try validate(k: k, points: n)
    let paired = try PairedDistanceRows(high: high, low: .dense(low), rules: NeighborRules(high: highMetric, low: .euclidean))
    var penalties = [Double](repeating: 0, count: n)
    try penalties.withUnsafeMutableBufferPointer { out in
      try paired.forEachRow(threads: threads, progress: progress, label: continuity ? "continuity" : "trustworthiness") {
        i, highRow, lowRow in
        // Neighbourhoods from one space, ranks in the other.
        out[i] = Double(penalty(i, neighbourRow: continuity ? highRow : lowRow, rankRow: continuity ? lowRow : highRow,
                                n: n, k: k))
      }
    }
    return value(penalties: penalties, points: n, k: k)
  }

  /// Whether k neighbours can be scored among n points (k below n/2, as scikit-learn requires).
  public static func validate(k: Int, points n: Int) throws {
    guard k >= 1, Double(k) < Double(n) / 2 else {
      throw VistaError("k must be ≥ 1 and below n/2 = \(Double(n) / 2), got \(k)", at: "option k")
    }
  }

  /// The score from every point's penalty.
  static func value(penalties: [Double], points n: Int, k: Int) -> Double {
    let total = penalties.reduce(0, +)
    let nn = Double(n), kk = Double(k)
    return 1 - total * 2 / (nn * kk * (2 * nn - 3 * kk - 1))
  }

  /// Point i's Σ_{j ∈ N_k(i)} max(0, r(i, j) − k): neighbourhood N_k from `neighbourRow`, ranks r
  /// from `rankRow` (the layout and the data for trustworthiness, the other way for continuity).
  static func penalty(_ i: Int, neighbourRow: UnsafeMutablePointer<Float>, rankRow: UnsafeMutablePointer<Float>,
                      n: Int, k: Int) -> Int {
    // Scratch on the stack: the k queries, then the histogram's k + 1 counts.
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * k + 1) { scratch in
      var best = UnsafeMutableBufferPointer(rebasing: scratch[..<k])
      best.initialize(repeating: .max)
      // The k nearest in the neighbourhood space, kept sorted in one pass: after the first few
      // hundred points almost every point fails the comparison with the k-th best so far.
      // (Filling all n keys and quickselecting was 45 % of `vista gain` on 4,000 points.)
      // A point farther than the k-th best (as floats) has a larger key: one comparison skips it.
      var bound = Float.infinity
      for j in 0..<n where neighbourRow[j] <= bound && j != i {
        let key = OrderedKeys.key(neighbourRow[j], j)
        guard key < best[k - 1] else { continue }
        var p = k - 1
        while p > 0 && best[p - 1] > key { best[p] = best[p - 1]; p -= 1 }
        best[p] = key
        if best[k - 1] != .max { bound = neighbourRow[OrderedKeys.index(best[k - 1])] }
      }
      // The same points' keys in the ranking space, ascending.
      for e in 0..<k {
        let j = OrderedKeys.index(best[e])
        best[e] = OrderedKeys.key(rankRow[j], j)
      }
      best.sort()
      let q = UnsafeBufferPointer(best)
      // histogram[t] = number of points l ≠ i with exactly t queries ≤ key(l), for t < k: a
      // point above every query (most of them, in a faithful layout) counts only towards t = k,
      // which no rank below uses.
      let histogram = UnsafeMutableBufferPointer(rebasing: scratch[k..<(2 * k + 1)])
      histogram.initialize(repeating: 0)
      let last = q[k - 1]
      let lastDistance = rankRow[OrderedKeys.index(last)]
      for l in 0..<n where rankRow[l] <= lastDistance && l != i {
        let key = OrderedKeys.key(rankRow[l], l)
        guard key <= last else { continue }
        // How many queries are ≤ key: a binary search whose steps are selects, not branches
        // (which way a step goes follows no pattern).
        var base = 0, length = k
        while length > 1 {
          let half = length / 2
          base = q[base + half - 1] <= key ? base + half : base
          length -= half
        }
        histogram[base + (q[base] <= key ? 1 : 0)] += 1
      }
      // Rank of the q-th query (1-based) = 1 + #{l : key(l) < query_q} = 1 + Σ_{t < q} histogram[t].
      var below = 0, penalty = 0
      for q in 1...k {
        below += Int(histogram[q - 1])
        penalty += max(0, below + 1 - k)
      }
      return penalty
    }
  }
}
