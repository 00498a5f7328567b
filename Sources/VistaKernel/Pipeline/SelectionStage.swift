import VistaCore

/// `select latent=N top=2%`: the captions that most activate latent N.
enum SelectionStage {
  static let topKind = OptionKind.countOrPercent

  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> LatentSelection {
    let p = ParameterReader(parameters, .selection)
    let codes = try session.require(.codes, as: SparseMatrix.self)
    return try select(codes: codes, parameters: p)
  }

  /// The selection `parameters` (latent, top) describe, on `codes`.
  static func select(codes: SparseMatrix, parameters p: ParameterReader) throws -> LatentSelection {
    let latent = try p.int("latent")
    guard latent >= 0, latent < codes.cols else {
      throw VistaError("latent \(latent) is outside the codes' \(codes.cols) latents (0…\(codes.cols - 1))", at: "option latent")
    }
    var top = CountOrFraction.fraction(0.02)
    if case .number(let v)? = try p.value("top", as: topKind) { top = .count(Int(v)) }
    if case .percent(let v)? = try p.value("top", as: topKind) { top = .fraction(v / 100) }
    return try select(codes: codes, latent: latent, top: top)
  }

  /// The rows with the largest positive activation of `latent` (ties: smaller row first).
  static func select(codes: SparseMatrix, latent: Int, top: CountOrFraction) throws -> LatentSelection {
    let column = codes.column(latent)
    var active = column.indices.filter { column[$0] > 0 }
    guard active.count >= 3 else {
      throw VistaError("latent \(latent) is active on only \(active.count) captions; pick another (see `latents`)", at: "option latent")
    }
    active.sort { column[$0] != column[$1] ? column[$0] > column[$1] : $0 < $1 }
    let wanted = top.resolve(total: codes.rows)
    let rows = Array(active.prefix(max(3, wanted)))
    return LatentSelection(latent: latent, rows: rows, activations: rows.map { column[$0] })
  }
}
