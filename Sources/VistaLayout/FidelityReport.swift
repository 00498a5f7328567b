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
  /// All of it from one pass over the distance rows, each point's rows in the data and on the map
  /// computed once for the three measures (`MutualKNN.gainCurve` and `Trustworthiness` each compute
  /// them again); the values are the same as theirs, bit for bit.
  ///
  /// Trustworthiness and continuity rank map neighbours by euclidean distance, as scikit-learn does;
  /// with another rule on the map (`rules.low`) they take a pass of their own after the gain's.
  public static func measure(high: LayoutInput, low: Matrix, fractions: [Double] = GainCurve.defaultFractions,
                             rules: NeighborRules = NeighborRules(), trustK: Int? = nil, continuity: Bool = true,
                             threads: Int = defaultThreadCount, progress: Progress = .none) throws -> FidelityReport {
    // The inputs first (the same points on both sides, finite, fit for their metrics), then the options.
    let paired = try PairedDistanceRows(high: high, low: .dense(low), rules: rules)
    let n = high.rows
    let ks = try MutualKNN.neighbourhoodSizes(fractions: fractions, n: n)
    if let k = trustK { try Trustworthiness.validate(k: k, points: n) }
    // Trustworthiness (and continuity) in the same pass when the map's rows are the ones they rank by.
    let fusedK = rules.low == .euclidean ? trustK : nil
    let fusedContinuity = continuity && fusedK != nil
    var perRow = [Int32](repeating: 0, count: n * ks.count)
    var trustPenalties = [Double](repeating: 0, count: fusedK == nil ? 0 : n)
    var continuityPenalties = [Double](repeating: 0, count: fusedContinuity ? n : 0)
    try perRow.withUnsafeMutableBufferPointer { rows in
      try trustPenalties.withUnsafeMutableBufferPointer { trust in
        try continuityPenalties.withUnsafeMutableBufferPointer { cont in
          try paired.forEachRow(threads: threads, progress: progress, label: "fidelity") { i, highRow, lowRow in
            MutualKNN.intersections(i, highRow: highRow, lowRow: lowRow, n: n, ks: ks,
                                    counts: rows.baseAddress! + i * ks.count)
            guard let k = fusedK else { return }
            trust[i] = Double(Trustworthiness.penalty(i, neighbourRow: lowRow, rankRow: highRow, n: n, k: k))
            if fusedContinuity {
              cont[i] = Double(Trustworthiness.penalty(i, neighbourRow: highRow, rankRow: lowRow, n: n, k: k))
            }
          }
        }
      }
    }
    var report = FidelityReport(curve: MutualKNN.curve(perRow: perRow, ks: ks, fractions: fractions, n: n, rules: rules))
    guard let k = trustK else { return report }
    report.trustK = k
    if fusedK != nil {
      report.trustworthiness = Trustworthiness.value(penalties: trustPenalties, points: n, k: k)
      if fusedContinuity { report.continuity = Trustworthiness.value(penalties: continuityPenalties, points: n, k: k) }
    } else {
      report.trustworthiness = try Trustworthiness.trustworthiness(high: high, low: low, k: k, highMetric: rules.high,
                                                                   threads: threads, progress: progress)
      if continuity {
        report.continuity = try Trustworthiness.continuity(high: high, low: low, k: k, highMetric: rules.high,
                                                           threads: threads, progress: progress)
      }
    }
    return report
  }
}
