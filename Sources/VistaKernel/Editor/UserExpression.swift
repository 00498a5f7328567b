import Foundation
import JupyterKernel
import VistaCore

/// `user_expressions` of execute_request: arithmetic, or a named session value.
enum UserExpression {
  static func evaluate(_ expression: String, interpreter: VistaInterpreter) throws -> MimeBundle {
    let trimmed = expression.trimmingCharacters(in: .whitespaces)
    if ArithmeticExpression.looksLikeExpression(trimmed) {
      return try VistaInterpreter.evaluateArithmetic(trimmed, at: SourcePosition(line: 1, column: 1))
    }
    if let value = SessionValues.value(named: trimmed, interpreter: interpreter) { return value }
    throw CommandError(.unknownCommand, "unknown expression '\(trimmed)'; expressions are arithmetic or one of: "
                         + SessionValues.names.joined(separator: ", "), at: SourcePosition(line: 1, column: 1))
  }
}

/// Named values of the running kernel, for user_expressions (and completion's latent numbers).
enum SessionValues {
  static let names = ["status", "seed", "defaults", "recipe", "selection", "version", "points", "gain"]

  static func value(named name: String, interpreter: VistaInterpreter) -> MimeBundle? {
    let session = interpreter.session
    switch name {
    case "status": return StatusCommand.bundle(session)
    case "seed": return MimeBundle.text(String(session.seed))
    case "defaults":
      let d = session.defaults
      return MimeBundle(data: ["text/plain": .string(d.keys.sorted().map { "\($0)=\(d[$0] ?? "")" }.joined(separator: " ")),
                               "application/json": .object(d.mapValues { .string($0) })])
    case "recipe": return MimeBundle.text(session.recipe())
    case "version": return MimeBundle.text(VistaInterpreter.version)
    case "points":
      return MimeBundle.text(String(session.result(.selection, as: LatentSelection.self)?.count ?? 0))
    case "gain":
      guard let f = session.result(.fidelity, as: FidelityResult.self) else { return MimeBundle.text("none") }
      return MimeBundle(data: ["text/plain": .string(String(format: "%.4f", f.curve.maxGain)),
                               "application/json": ["max_gain": .double(f.curve.maxGain), "argmax_fraction": .double(f.curve.argmaxFraction),
                                                    "trustworthiness": .double(f.trustworthiness)]])
    case "selection":
      let s = interpreter.state.explorerSelection
      let ids: [JSONValue] = (s?.ids ?? []).map { .string($0) }
      return MimeBundle(data: ["text/plain": .string("\(s?.ids.count ?? 0) selected"), "application/json": ["ids": .array(ids)]])
    default: return nil
    }
  }

  /// The 30 most frequent latents of the session's codes (completion for `latent=`).
  static func suggestedLatents(_ session: Session) -> [String] {
    guard let codes = session.result(.codes, as: SparseMatrix.self) else { return [] }
    let counts = codes.columnCounts
    let ranked = counts.indices.filter { counts[$0] > 0 }.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
    return ranked.prefix(30).map(String.init)
  }
}
