import VistaCore

/// One point of a gain curve.
public struct GainPoint: Sendable, Codable, Equatable {
  /// p, the neighbourhood size as a fraction of n.
  public var fraction: Double
  /// k = int(n·p).
  public var k: Int
  /// mKNN_k = (1/n) Σ_i |N_k^high(i) ∩ N_k^low(i)| / k.
  public var mutualKNN: Double
  /// mKNN_k − p: 0 for a random layout, 1 − p for a perfect one.
  public var gain: Double
}

/// Mutual-kNN gain against neighbourhood size, with its maximum (the paper reports the maximum
/// and where it is reached, e.g. 0.273 at k = 5 %).
public struct GainCurve: Sendable, Codable, Equatable {
  public var points: [GainPoint]
  public var rules: NeighborRules

  /// 0.5 %, 1 %, 2 %, 3 %, ..., 20 %.
  public static let defaultFractions: [Double] = [0.005] + (1...20).map { Double($0) / 100 }

  /// The point of largest gain (the first one on ties).
  public var best: GainPoint? {
    points.reduce(nil) { best, p in (best == nil || p.gain > best!.gain) ? p : best }
  }
  public var maxGain: Double { best?.gain ?? 0 }
  public var argmaxFraction: Double { best?.fraction ?? 0 }
}

extension GainCurve {
  /// Reads neighbourhood sizes as written in commands: a range "0.5%..20%" (the first value, then
  /// every whole percent up to the last, so 0.5 %, 1 %, 2 %, ..., 20 %), a list "1%,5%,9%", or
  /// bare fractions ("0.05").
  public static func parseFractions(_ text: String) throws -> [Double] {
    func value(_ s: Substring) throws -> Double {
      let t = String(s.filter { $0 != " " })
      if t.hasSuffix("%"), let v = Double(t.dropLast()) { return v / 100 }
      if let v = Double(t) { return v }
      throw VistaError("cannot read neighbourhood size '\(t)'; write it like 5% or 0.5%..20%", at: "option k")
    }
    if let range = text.range(of: "..") {
      let lo = try value(text[..<range.lowerBound]), hi = try value(text[range.upperBound...])
      guard lo > 0, hi >= lo, hi < 1 else { throw VistaError("range must go up from above 0% to below 100%", at: "option k") }
      var out = [lo]
      var percent = (lo * 100).rounded(.down) + 1
      while percent / 100 <= hi + 1e-12 { out.append(percent / 100); percent += 1 }
      return out
    }
    return try text.split(separator: ",").map(value)
  }
}

/// Mutual-kNN alignment and gain, exactly as the paper's appendix and the platonic-rep reference:
/// N_k(i) is the k points j ≠ i nearest to i, ties broken by the smaller index; k = int(n·p).
public enum MutualKNN {
  /// The gain curve of a layout against the data it came from.
  ///
  /// Every k of the curve comes from one pass: per point, nested quickselects on packed
  /// (distance, index) keys split the nearest int(n·p_max) points into the curve's bands, and the
  /// band at which each neighbour enters both neighbourhoods gives all the intersections at once.
  public static func gainCurve(high: LayoutInput, low: Matrix, fractions: [Double] = GainCurve.defaultFractions,
                               rules: NeighborRules = NeighborRules(), threads: Int = defaultThreadCount,
                               progress: Progress = .none) throws -> GainCurve {
    let n = high.rows
    let ks = try neighbourhoodSizes(fractions: fractions, n: n)
    let paired = try PairedDistanceRows(high: high, low: .dense(low), rules: rules)
    // Per-row intersection counts per band, summed per row so the total is thread-independent.
    var perRow = [Int32](repeating: 0, count: n * ks.count)
    try perRow.withUnsafeMutableBufferPointer { out in
      try paired.forEachRow(threads: threads, progress: progress, label: "gain") { i, highRow, lowRow in
        intersections(i, highRow: highRow, lowRow: lowRow, n: n, ks: ks, counts: out.baseAddress! + i * ks.count)
      }
    }
    return curve(perRow: perRow, ks: ks, fractions: fractions, n: n, rules: rules)
  }

  /// Point i's row of the curve: `counts[b]` = |N_ks[b]^high(i) ∩ N_ks[b]^low(i)| (zeroed first).
  static func intersections(_ i: Int, highRow: UnsafeMutablePointer<Float>, lowRow: UnsafeMutablePointer<Float>,
                            n: Int, ks: [Int], counts: UnsafeMutablePointer<Int32>) {
    let bands = ks.count
    let kMax = ks.last ?? 0
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * n)
    let bandOfHigh = UnsafeMutablePointer<Int32>.allocate(capacity: n)
    defer { keys.deallocate(); bandOfHigh.deallocate() }
    let highKeys = keys, lowKeys = keys + n
    split(highKeys, count: fillNearest(highKeys, row: highRow, n: n, excluding: i, atLeast: kMax), ks: ks)
    split(lowKeys, count: fillNearest(lowKeys, row: lowRow, n: n, excluding: i, atLeast: kMax), ks: ks)
    bandOfHigh.initialize(repeating: Int32(bands), count: n)
    var band = 0
    for p in 0..<kMax {
      while p >= ks[band] { band += 1 }
      bandOfHigh[OrderedKeys.index(highKeys[p])] = Int32(band)
    }
    counts.initialize(repeating: 0, count: bands)
    band = 0
    for p in 0..<kMax {
      while p >= ks[band] { band += 1 }
      let entry = max(band, Int(bandOfHigh[OrderedKeys.index(lowKeys[p])]))
      if entry < bands { counts[entry] += 1 }
    }
    for b in 1..<max(bands, 1) { counts[b] += counts[b - 1] }
  }

  /// The curve from every point's row (`intersections`), n rows of `ks.count`.
  static func curve(perRow: [Int32], ks: [Int], fractions: [Double], n: Int, rules: NeighborRules) -> GainCurve {
    let bands = ks.count
    var alignmentByK: [Int: Double] = [:]
    for (b, k) in ks.enumerated() {
      var total = 0.0
      for i in 0..<n { total += Double(perRow[i * bands + b]) }
      alignmentByK[k] = total / (Double(n) * Double(k))
    }
    // One point per requested fraction (two fractions may share a k).
    var result: [GainPoint] = []
    for f in fractions.sorted() {
      let k = Int(Double(n) * f)
      guard let m = alignmentByK[k] else { continue }
      result.append(GainPoint(fraction: f, k: k, mutualKNN: m, gain: m - f))
    }
    return GainCurve(points: result, rules: rules)
  }

  /// mKNN_k for one fraction p (k = int(n·p)).
  public static func alignment(high: LayoutInput, low: Matrix, fraction: Double, rules: NeighborRules = NeighborRules(),
                               threads: Int = defaultThreadCount, progress: Progress = .none) throws -> Double {
    let curve = try gainCurve(high: high, low: low, fractions: [fraction], rules: rules, threads: threads, progress: progress)
    guard let point = curve.points.first else {
      throw VistaError("k = int(\(high.rows) · \(fraction)) must be in 1...\(high.rows - 1)", at: "option k")
    }
    return point.mutualKNN
  }

  /// mKNN_k − p.
  public static func gain(high: LayoutInput, low: Matrix, fraction: Double, rules: NeighborRules = NeighborRules(),
                          threads: Int = defaultThreadCount, progress: Progress = .none) throws -> Double {
    try alignment(high: high, low: low, fraction: fraction, rules: rules, threads: threads, progress: progress) - fraction
  }

  /// The distinct, valid k = int(n·p), ascending.
  static func neighbourhoodSizes(fractions: [Double], n: Int) throws -> [Int] {
    guard !fractions.isEmpty else { throw VistaError("no neighbourhood sizes given", at: "option k") }
    for f in fractions where !(f > 0 && f < 1) {
      throw VistaError("neighbourhood fraction \(f) is not in (0, 1)", at: "option k")
    }
    let ks = Set(fractions.map { Int(Double(n) * $0) }.filter { $0 >= 1 && $0 <= n - 1 }).sorted()
    guard !ks.isEmpty else {
      throw VistaError("every k = int(n·p) is outside 1...\(n - 1) for n = \(n)", at: "option k")
    }
    return ks
  }

  @inline(__always)
  static func fill(_ keys: UnsafeMutablePointer<UInt64>, row: UnsafeMutablePointer<Float>, n: Int, excluding i: Int) {
    var c = 0
    for j in 0..<n where j != i { keys[c] = OrderedKeys.key(row[j], j); c += 1 }
  }

  /// Keys of at least the `atLeast` points nearest to i (every point closer than the last one kept
  /// is kept), in `keys` (room for n: the branchless pass writes one past what it keeps); returns
  /// how many.
  ///
  /// A threshold from every eighth point's key, a little past the rank wanted, leaves about a
  /// quarter more candidates than `atLeast` for the selections to sort into bands, where they
  /// selected among all n − 1 points (on 4,000 points the selections were half of `vista gain`).
  /// The candidates are written without a branch (whether a point makes it follows no pattern).
  /// When the sample misleads and too few pass, all points are kept.
  static func fillNearest(_ keys: UnsafeMutablePointer<UInt64>, row: UnsafeMutablePointer<Float>, n: Int,
                          excluding i: Int, atLeast wanted: Int) -> Int {
    let stride = 8
    let sampleCount = (n - 1) / stride
    let rank = Int(Double(wanted) * 1.25 / Double(stride)) + 4
    guard wanted < n - 1, sampleCount > 64, rank < sampleCount else {
      fill(keys, row: row, n: n, excluding: i)
      return n - 1
    }
    var c = 0
    for j in Swift.stride(from: 0, to: n, by: stride) where j != i && c < sampleCount {
      keys[c] = OrderedKeys.key(row[j], j)
      c += 1
    }
    OrderedKeys.select(keys, count: c, nth: rank)
    let threshold = keys[rank]
    var kept = 0
    for j in 0..<n {
      let key = OrderedKeys.key(row[j], j)
      keys[kept] = key
      kept &+= (key <= threshold && j != i) ? 1 : 0
    }
    if kept < wanted {
      fill(keys, row: row, n: n, excluding: i)
      return n - 1
    }
    return kept
  }

  /// Nested selections: afterwards keys[ks[b−1]..<ks[b]] hold exactly the neighbours of ranks
  /// ks[b−1]+1 ... ks[b] (in some order).
  static func split(_ keys: UnsafeMutablePointer<UInt64>, count: Int, ks: [Int]) {
    var limit = count
    for k in ks.reversed() {
      if k < limit { OrderedKeys.select(keys, count: limit, nth: k - 1) }
      // Everything before position k is now ≤ keys[k-1]; select recursed on the prefix only.
      limit = k
    }
  }
}
