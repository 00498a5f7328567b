import VistaCore

/// A layout's fidelity: the mutual-kNN gain curve and, for one k, trustworthiness and continuity.
public struct FidelityReport: Sendable, Equatable {
  public var curve: GainCurve
  /// The k of trustworthiness and continuity (nil: not measured).
  public var trustK: Int?
  public var trustworthiness: Double?
  public var continuity: Double?
}

extension FidelityReport {
  /// All of it from the distance rows computed once: each point's rows in the data and on the map
  /// feed the three measures (`MutualKNN.gainCurve` and `Trustworthiness` each compute them again);
  /// the values are the same as theirs, bit for bit.
  ///
  /// Trustworthiness and continuity rank map neighbours by euclidean distance, as scikit-learn does;
  /// with another rule on the map (`rules.low`) they share one pass of their own after the gain's.
  public static func measure(high: LayoutInput, low: Matrix, fractions: [Double] = GainCurve.defaultFractions,
                             rules: NeighborRules = NeighborRules(), trustK: Int? = nil, continuity: Bool = true,
                             threads: Int = defaultThreadCount, progress: Progress = .none) throws -> FidelityReport {
    // The inputs first (the same points on both sides, finite, fit for their metrics), then the options.
    let paired = try PairedDistanceRows(high: high, low: .dense(low), rules: rules)
    let n = high.rows
    let ks = try MutualKNN.neighbourhoodSizes(fractions: fractions, n: n)
    if let k = trustK { try Trustworthiness.validate(k: k, points: n) }
    let fused = rules.low == .euclidean
    var perRow = [Int32](repeating: 0, count: n * ks.count)
    var penalties = Penalties(k: trustK, points: n, continuity: continuity)
    try perRow.withUnsafeMutableBufferPointer { rows in
      try penalties.withRecorder { record in
        try paired.forEachRow(threads: threads, progress: progress, label: "fidelity") { i, highRow, lowRow in
          MutualKNN.intersections(i, highRow: highRow, lowRow: lowRow, n: n, ks: ks,
                                  counts: rows.baseAddress! + i * ks.count)
          if fused { record(i, highRow, lowRow) }
        }
      }
    }
    if !fused, trustK != nil {
      let ranked = try PairedDistanceRows(high: high, low: .dense(low), rules: NeighborRules(high: rules.high, low: .euclidean))
      try penalties.withRecorder { record in
        try ranked.forEachRow(threads: threads, progress: progress, label: "trustworthiness", record)
      }
    }
    var report = FidelityReport(curve: MutualKNN.curve(perRow: perRow, ks: ks, fractions: fractions, n: n, rules: rules))
    report.trustK = trustK
    report.trustworthiness = penalties.trustworthiness
    report.continuity = penalties.continuity
    return report
  }

  /// Each point's trustworthiness (and continuity) penalty at k, filled from distance rows.
  private struct Penalties {
    let k: Int?
    let points: Int
    var trust: [Double]
    var cont: [Double]

    init(k: Int?, points: Int, continuity: Bool) {
      self.k = k
      self.points = points
      trust = [Double](repeating: 0, count: k == nil ? 0 : points)
      cont = [Double](repeating: 0, count: k != nil && continuity ? points : 0)
    }

    /// Runs `body` with a recorder of row i's penalties (a no-op without k); rows are recorded
    /// by any thread, each into its own slots.
    mutating func withRecorder(_ body: ((Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) throws -> Void) rethrows {
      let k = self.k, n = points
      try trust.withUnsafeMutableBufferPointer { trust in
        try cont.withUnsafeMutableBufferPointer { cont in
          try body { i, highRow, lowRow in
            guard let k else { return }
            trust[i] = Double(Trustworthiness.penalty(i, neighbourRow: lowRow, rankRow: highRow, n: n, k: k))
            if !cont.isEmpty {
              cont[i] = Double(Trustworthiness.penalty(i, neighbourRow: highRow, rankRow: lowRow, n: n, k: k))
            }
          }
        }
      }
    }

    var trustworthiness: Double? { k.map { Trustworthiness.value(penalties: trust, points: points, k: $0) } }
    var continuity: Double? {
      guard let k, !cont.isEmpty else { return nil }
      return Trustworthiness.value(penalties: cont, points: points, k: k)
    }
  }
}
