import Foundation
import JupyterKernel

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

/// Named values of the running kernel, for user_expressions.
enum SessionValues {
  static let names = ["version", "selection"]

  static func value(named name: String, interpreter: VistaInterpreter) -> MimeBundle? {
    switch name {
    case "version": return MimeBundle.text(VistaInterpreter.version)
    case "selection":
      let s = interpreter.state.explorerSelection
      let ids: [JSONValue] = (s?.ids ?? []).map { .string($0) }
      return MimeBundle(data: ["text/plain": .string("\(s?.ids.count ?? 0) selected"), "application/json": ["ids": .array(ids)]])
    default: return nil
    }
  }
}
