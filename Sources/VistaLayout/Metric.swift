import VistaCore

/// A distance between two rows of the high-dimensional input.
///
/// Every metric here is computed from one inner-product block (a GEMM for dense rows, a sparse
/// accumulation for CSR rows) plus per-row scalars, so a 4000 x 4000 block costs one BLAS call.
public enum Metric: Sendable, Equatable, Hashable, Codable {
  /// ‖x − y‖₂.
  case euclidean
  /// 1 − cos(x, y); a zero row is at distance 1 from everything.
  case cosine
  /// 1 − Pearson correlation of the two rows (cosine of the mean-centred rows).
  case correlation
  /// 1 − x·y, for rows the caller already normalised; it ranks like the dot-product similarity and
  /// is negative when x·y > 1.
  case dot
  /// VISTA's metric: (1 − cos(x, y)) + axisWeight · |x_axis − y_axis|, with the raw (unnormalised)
  /// activation of the selected latent `axis` in the second term.
  case vista(axis: Int, axisWeight: Float)

  /// Parses "euclidean", "cosine", "correlation", "dot" or "vista"; `vista` needs `axis`.
  public init(name: String, axis: Int? = nil, axisWeight: Float = 1) throws {
    switch name.lowercased() {
    case "euclidean", "l2": self = .euclidean
    case "cosine": self = .cosine
    case "correlation": self = .correlation
    case "dot": self = .dot
    case "vista":
      guard let axis else { throw VistaError("metric vista needs the selected latent's column (axis)", at: "option axis") }
      guard axisWeight.isFinite, axisWeight >= 0 else {
        throw VistaError("axis_weight must be a finite number ≥ 0, got \(axisWeight)", at: "option axis_weight")
      }
      self = .vista(axis: axis, axisWeight: axisWeight)
    default:
      throw VistaError("unknown metric '\(name)'; use euclidean, cosine, correlation, dot or vista", at: "option metric")
    }
  }

  /// The short name used in options, metadata and the CLI.
  public var name: String {
    switch self {
    case .euclidean: return "euclidean"
    case .cosine: return "cosine"
    case .correlation: return "correlation"
    case .dot: return "dot"
    case .vista: return "vista"
    }
  }

  /// Checks that the metric fits data with `columns` columns.
  func validate(columns: Int) throws {
    if case .vista(let axis, let weight) = self {
      guard axis >= 0, axis < columns else {
        throw VistaError("axis \(axis) is outside the data's \(columns) columns", at: "option axis")
      }
      guard weight.isFinite, weight >= 0 else {
        throw VistaError("axis_weight must be a finite number ≥ 0, got \(weight)", at: "option axis_weight")
      }
    }
  }
}
