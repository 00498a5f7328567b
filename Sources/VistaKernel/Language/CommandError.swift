import JupyterKernel

/// A user-visible problem with a command: what kind, what went wrong, and where in the cell.
///
/// Converted to an `ExecutionError` whose name is the kind (e.g. "BadValue") and whose value starts with
/// "line L, column C: " so a researcher finds the spot without counting.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case syntaxError = "SyntaxError"
    case unknownCommand = "UnknownCommand"
    case badOption = "BadOption"
    case badValue = "BadValue"
    case missingArgument = "MissingArgument"
    case unexpectedArgument = "UnexpectedArgument"
    case commandFailed = "CommandFailed"
    case stageNotReady = "StageNotReady"
    case interrupted = "KeyboardInterrupt"
  }

  public var kind: Kind
  public var message: String
  public var position: SourcePosition?

  public init(_ kind: Kind, _ message: String, at position: SourcePosition? = nil) {
    self.kind = kind
    self.message = message
    self.position = position
  }

  public var description: String {
    guard let position else { return message }
    return "\(position): \(message)"
  }

  /// The Jupyter error for this problem. An interrupt is reported as plain "interrupted".
  public var executionError: ExecutionError {
    if kind == .interrupted {
      let line = position.map { ["KeyboardInterrupt: interrupted at line \($0.line)"] } ?? []
      return ExecutionError(name: kind.rawValue, value: "interrupted", traceback: line)
    }
    return ExecutionError(name: kind.rawValue, value: description)
  }
}
