import JupyterKernel

/// One command of the language. A command declares its spec (verb, subjects, options with defaults and
/// docs) and runs against the session; adding one means one new type plus a line in `CommandRegistry.standard`.
public protocol Command: Sendable {
  var spec: CommandSpec { get }
  /// Runs the command. Throws `CommandError` (or `VistaError`, `CancellationError`, which the interpreter
  /// turns into CommandFailed / KeyboardInterrupt errors). Must leave the session as it was when it throws.
  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput
}

/// What a command hands back: the cell's value (an execute_result when it is the last command) and
/// execute_reply payloads (the pager).
public struct CommandOutput: Sendable {
  public var value: MimeBundle?
  public var payload: [JSONValue]
  public init(value: MimeBundle? = nil, payload: [JSONValue] = []) { self.value = value; self.payload = payload }
  public static let none = CommandOutput()
}
