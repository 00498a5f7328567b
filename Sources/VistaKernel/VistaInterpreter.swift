import Foundation
import JupyterKernel
import VistaCore

/// The VISTA language behind the Jupyter protocol: splits a cell into commands, binds each to its spec,
/// runs them in order and turns their outputs and errors into Jupyter messages.
///
/// A cell is checked whole before anything runs (an unknown verb on line 3 stops the cell before line 1
/// runs); then commands run one by one and the cell stops at the first failure.
public final class VistaInterpreter: Interpreter {
  public static let version = "0.1.0"

  public let registry: CommandRegistry
  public let state: KernelState
  private var registeredComms: ObjectIdentifier?

  /// A kernel on the default disk cache (`$VISTA_HOME/cache`).
  public convenience init() {
    self.init(session: Session())
  }

  /// A kernel on a given session (tests and headless runs pass a memory-only or private-cache session).
  public init(session: Session) {
    self.state = KernelState(session: session)
    self.registry = CommandRegistry.standard()
  }

  public var session: Session { state.session }

  public var info: InterpreterInfo {
    InterpreterInfo(
      implementation: "vista", implementationVersion: Self.version,
      banner: "VISTA \(Self.version): map what a neural representation has learned. Type `help` for the commands.",
      language: LanguageInfo(name: "vista", version: Self.version, mimetype: "text/x-vista", fileExtension: ".vista",
                             pygmentsLexer: "text", codemirrorMode: "shell"))
  }

  // MARK: - Execute

  /// One line of a cell, ready to run.
  enum Step {
    case command(any Command, Invocation)
    case expression(String, SourcePosition)
  }

  public func execute(code: String, silent: Bool, context: ExecutionContext) throws -> ExecutionResult {
    registerComms(context.comms)
    let steps: [Step]
    do { steps = try plan(code) } catch let error as CommandError { throw error.executionError }
    let commandContext = CommandContext(execution: context, state: state, registry: registry)
    context.onInterrupt { [commandContext] in commandContext.interruptAll() }
    var payload: [JSONValue] = []
    var lastValue: MimeBundle?
    for (index, step) in steps.enumerated() {
      let value: MimeBundle?
      do {
        switch step {
        case .command(let command, let invocation):
          try commandContext.checkInterrupted()
          defer { reportWarnings(context) }
          let output = try command.run(invocation, commandContext)
          payload += output.payload
          value = output.value
        case .expression(let text, let position):
          value = try Self.evaluateArithmetic(text, at: position)
        }
      } catch {
        throw Self.executionError(error, step: step)
      }
      if let value {
        if index == steps.count - 1 { lastValue = value } else { context.display(value, displayID: nil) }
      }
    }
    return ExecutionResult(value: lastValue, payload: payload)
  }

  /// Problems that did not stop the command (a cache file that could not be written) go to stderr.
  func reportWarnings(_ context: ExecutionContext) {
    for warning in session.takeWarnings() { context.stream("warning: \(warning)\n", toStderr: true) }
  }

  /// Splits and binds every line; the first problem stops the cell before anything runs.
  func plan(_ code: String) throws -> [Step] {
    try LogicalLine.split(code).map { line in
      if ArithmeticExpression.looksLikeExpression(line.text) { return .expression(line.text, line.start) }
      let (command, invocation) = try registry.bind(line)
      return .command(command, invocation)
    }
  }

  static func evaluateArithmetic(_ text: String, at position: SourcePosition) throws -> MimeBundle {
    do {
      return MimeBundle.text(Value.format(try ArithmeticExpression.evaluate(text)))
    } catch let error as ArithmeticExpression.ExpressionError {
      throw CommandError(.syntaxError, error.message,
                         at: SourcePosition(line: position.line, column: position.column + error.offset))
    }
  }

  /// Every failure as a Jupyter error naming the line (and column when known).
  static func executionError(_ error: Error, step: Step) -> ExecutionError {
    let position: SourcePosition
    let commandText: String
    switch step {
    case .command(_, let invocation): position = invocation.position; commandText = invocation.text
    case .expression(let text, let at): position = at; commandText = text
    }
    switch error {
    case let e as CommandError:
      var e = e
      if e.position == nil { e.position = position }
      return e.executionError
    case let e as StageNotConfigured:
      return CommandError(.stageNotReady, e.description, at: position).executionError
    case is CancellationError:
      return CommandError(.interrupted, "interrupted", at: position).executionError
    case let e as VistaError:
      if case .command(_, let invocation) = step, e.location.hasPrefix("option ") {
        // A value the algorithm rejected: point at the option when the user typed it.
        let name = String(e.location.dropFirst("option ".count))
        let at = invocation.optionPositions[name] ?? invocation.argumentPositions[name] ?? invocation.position
        return CommandError(.badValue, "option \(name): \(e.message)", at: at).executionError
      }
      var position = position
      if case .command(_, let invocation) = step, let at = fileArgumentPosition(e.location, in: invocation) { position = at }
      let message = e.location.isEmpty ? e.message : "\(e.message) (\(e.location))"
      return ExecutionError(name: "CommandFailed", value: "\(position): \(message)",
                            traceback: ["CommandFailed: \(position): \(message)", "  in `\(commandText)`"])
    case let e as ExecutionError:
      return e
    default:
      return ExecutionError(name: "CommandFailed", value: "\(position): \(error)")
    }
  }

  /// Where the user typed the file an error names (`badidx.npy`, `/data/x.npz:data`, `captions.tsv:4`), so the
  /// column points at `caption_index=badidx.npy` rather than at the verb; nil when no argument or option names it.
  static func fileArgumentPosition(_ location: String, in invocation: Invocation) -> SourcePosition? {
    guard !location.isEmpty else { return nil }
    let file = ((location.split(separator: ":").first.map(String.init) ?? location) as NSString).lastPathComponent
    let typed = invocation.arguments.map { ($0.key, $0.value, invocation.argumentPositions[$0.key]) }
      + invocation.options.map { ($0.key, $0.value, invocation.optionPositions[$0.key]) }
    for (_, value, at) in typed.sorted(by: { $0.0 < $1.0 }) {
      guard let text = value.text, let at, !text.isEmpty else { continue }
      if (text as NSString).lastPathComponent == file { return at }
    }
    return nil
  }

  // MARK: - Comms

  /// Registers the explorer's comm target as soon as the kernel runs (before any cell) and keeps the kernel id
  /// so `explore` pages can reach this kernel.
  public func kernelDidStart(comms: CommManager, environment: KernelEnvironment) {
    state.kernelID = environment.kernelID
    registerComms(comms)
  }

  /// Accepts the explorer's comm so a selection made in the browser reaches `captions selection`.
  func registerComms(_ comms: CommManager) {
    let id = ObjectIdentifier(comms)
    guard registeredComms != id else { return }
    registeredComms = id
    let state = self.state
    comms.registerTarget(ExplorerComm.target) { comm, data in
      ExplorerComm.receive(data, into: state)
      comm.onMessage = { ExplorerComm.receive($0, into: state) }
    }
  }

  // MARK: - Editor support

  public func evaluate(expression: String) throws -> MimeBundle {
    do {
      return try UserExpression.evaluate(expression, interpreter: self)
    } catch let error as CommandError {
      throw error.executionError
    }
  }

  public func complete(code: String, cursorPos: Int) -> CompletionResult {
    var completion = Completion(registry: registry)
    let session = self.session
    completion.latents = { SessionValues.suggestedLatents(session) }
    return completion.complete(code: code, cursorPos: cursorPos)
  }

  public func inspect(code: String, cursorPos: Int, detailLevel: Int) -> MimeBundle? {
    Inspection(registry: registry).inspect(code: code, cursorPos: cursorPos, detailLevel: detailLevel)
  }

  public func isComplete(code: String) -> CompletenessStatus {
    Completeness.status(of: code)
  }
}
