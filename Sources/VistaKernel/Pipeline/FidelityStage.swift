import Foundation
import VistaCore
import VistaLayout

/// `gain k=0.5%..20%` and `trust k=15`: how well the layout keeps latent-space neighbourhoods.
enum FidelityStage {
  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> FidelityResult {
    let p = ParameterReader(parameters, .fidelity)
    let codes = try session.require(.codes, as: SparseMatrix.self)
    let selection = try session.require(.selection, as: LatentSelection.self)
    let layout = try session.require(.layout, as: LayoutResult.self)
    let high = LayoutInput.sparse(codes.selectingRows(selection.rows))
    let n = high.rows
    let (low, highFraction) = try kRange(p)
    let fractions = Self.fractions(from: low, to: highFraction, points: n)
    guard !fractions.isEmpty else {
      throw VistaError("no k in \(Value.format(low * 100))%..\(Value.format(highFraction * 100))% gives at least one neighbour among \(n) points", at: "option k")
    }
    let start = Date()
    let trustK = Self.trustK(try p.int("trust_k", default: 15), points: n)
    let report = try FidelityReport.measure(high: high, low: layout.positions, fractions: fractions,
                                            rules: NeighborRules(high: .cosine, low: .euclidean), trustK: trustK,
                                            threads: session.threads, progress: progress)
    return FidelityResult(curve: report.curve, trustK: trustK, trustworthiness: report.trustworthiness ?? 0,
                          continuity: report.continuity ?? 0, seconds: Date().timeIntervalSince(start))
  }

  /// The `k` option as fractions of n (default 0.5%..20%).
  static func kRange(_ p: ParameterReader) throws -> (low: Double, high: Double) {
    guard case .range(.percent(let a), .percent(let b))? = try p.value("k", as: .percentRange) else { return (0.005, 0.2) }
    return (a / 100, b / 100)
  }

  /// The trustworthiness k actually used: the setting, capped so the score is defined for n points.
  static func trustK(_ setting: Int, points n: Int) -> Int { min(setting, max(1, (n - 1) / 2 - 1)) }

  /// The curve's fractions: the low end, every whole percent after it, and the high end; only those giving
  /// 1 ≤ k < n (k = int(n·p)).
  static func fractions(from low: Double, to high: Double, points n: Int) -> [Double] {
    var values = [low]
    var percent = (low * 100).rounded(.down) + 1
    while percent / 100 < high - 1e-12 { values.append(percent / 100); percent += 1 }
    if high > low { values.append(high) }
    return values.filter { Int(Double(n) * $0) >= 1 && Int(Double(n) * $0) < n }
  }
}
