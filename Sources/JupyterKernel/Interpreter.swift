import Foundation

/// A rich output: MIME type -> data, plus metadata (e.g. image sizes), as in display_data.
public struct MimeBundle: Sendable, Equatable {
  /// e.g. ["text/plain": "…", "text/html": "…", "image/png": base64 string, "application/json": {...}]
  public var data: [String: JSONValue]
  public var metadata: [String: JSONValue]

  public init(data: [String: JSONValue], metadata: [String: JSONValue] = [:]) {
    self.data = data
    self.metadata = metadata
  }

  /// A plain-text bundle.
  public static func text(_ s: String) -> MimeBundle { MimeBundle(data: ["text/plain": .string(s)]) }
}

/// What the language reports in kernel_info_reply.
public struct LanguageInfo: Sendable, Equatable {
  public var name: String
  public var version: String
  public var mimetype: String
  public var fileExtension: String
  public var pygmentsLexer: String?
  public var codemirrorMode: String?
  public init(name: String, version: String, mimetype: String, fileExtension: String,
              pygmentsLexer: String? = nil, codemirrorMode: String? = nil) {
    self.name = name; self.version = version; self.mimetype = mimetype; self.fileExtension = fileExtension
    self.pygmentsLexer = pygmentsLexer; self.codemirrorMode = codemirrorMode
  }
}

/// The identity of the interpreter, for kernel_info_reply.
public struct InterpreterInfo: Sendable {
  public var implementation: String
  public var implementationVersion: String
  public var banner: String
  public var language: LanguageInfo
  /// (text, url) pairs shown in the Help menu.
  public var helpLinks: [(text: String, url: String)]
  public init(implementation: String, implementationVersion: String, banner: String,
              language: LanguageInfo, helpLinks: [(text: String, url: String)] = []) {
    self.implementation = implementation; self.implementationVersion = implementationVersion
    self.banner = banner; self.language = language; self.helpLinks = helpLinks
  }
}

/// An error raised by user code, reported as an `error` IOPub message and an error execute_reply.
public struct ExecutionError: Error, Sendable, Equatable {
  public var name: String
  public var value: String
  public var traceback: [String]
  public init(name: String, value: String, traceback: [String] = []) {
    self.name = name; self.value = value
    self.traceback = traceback.isEmpty ? ["\(name): \(value)"] : traceback
  }
}

/// The successful result of an execution.
public struct ExecutionResult: Sendable, Equatable {
  /// The cell's value, sent as execute_result (nil: no execute_result).
  public var value: MimeBundle?
  /// Pager or other payloads for execute_reply (e.g. ["source": "page", "data": {...}, "start": 0]).
  public var payload: [JSONValue]
  public init(value: MimeBundle? = nil, payload: [JSONValue] = []) {
    self.value = value; self.payload = payload
  }
}

/// Where an executing command sends its side outputs. Implemented by the kernel over IOPub/stdin;
/// tests may implement it to record outputs. All methods are safe to call from any thread.
public protocol ExecutionContext: AnyObject, Sendable {
  /// Writes to the cell's stdout or stderr stream.
  func stream(_ text: String, toStderr: Bool)
  /// Sends display_data; with a `displayID` the output can later be replaced by `update`.
  func display(_ bundle: MimeBundle, displayID: String?)
  /// Sends update_display_data for an earlier display with the same id.
  func update(_ bundle: MimeBundle, displayID: String)
  /// Sends clear_output.
  func clearOutput(wait: Bool)
  /// Asks the frontend for a line of input over stdin. Throws if the request does not allow stdin.
  func input(prompt: String, password: Bool) throws -> String
  /// True once an interrupt (interrupt_request or SIGINT) arrived for this execution.
  var isInterrupted: Bool { get }
  /// Registers a handler called (once, on the control thread) when an interrupt arrives.
  func onInterrupt(_ handler: @escaping @Sendable () -> Void)
  /// The comm manager, for commands that open comms or read what frontends sent.
  var comms: CommManager { get }
  /// The execution count of this request.
  var executionCount: Int { get }
}

/// The result of `complete_request`.
public struct CompletionResult: Sendable, Equatable {
  public var matches: [String]
  /// Replacement range in Unicode code points.
  public var cursorStart: Int
  public var cursorEnd: Int
  public var metadata: [String: JSONValue]
  public init(matches: [String], cursorStart: Int, cursorEnd: Int, metadata: [String: JSONValue] = [:]) {
    self.matches = matches; self.cursorStart = cursorStart; self.cursorEnd = cursorEnd; self.metadata = metadata
  }
}

/// The result of `is_complete_request`.
public enum CompletenessStatus: Sendable, Equatable {
  case complete
  case incomplete(indent: String)
  case invalid
  case unknown
}

/// The language side of a kernel. The protocol layer calls these on the shell thread, one at a time,
/// except `interrupt`-related callbacks, which come from the control thread.
public protocol Interpreter: AnyObject {
  var info: InterpreterInfo { get }
  /// Runs one cell. Throws `ExecutionError` for user-visible errors.
  func execute(code: String, silent: Bool, context: ExecutionContext) throws -> ExecutionResult
  /// Evaluates a user expression for execute_request's `user_expressions`.
  func evaluate(expression: String) throws -> MimeBundle
  /// Completion at `cursorPos` (Unicode code points).
  func complete(code: String, cursorPos: Int) -> CompletionResult
  /// Inspection at `cursorPos`; nil when nothing is found.
  func inspect(code: String, cursorPos: Int, detailLevel: Int) -> MimeBundle?
  func isComplete(code: String) -> CompletenessStatus
  /// Called once when the kernel shuts down (restart or not).
  func shutdown(restart: Bool)
  /// Called once on the kernel's start thread, before any request: register comm targets here so
  /// frontends can open them before the first execute.
  func kernelDidStart(comms: CommManager, environment: KernelEnvironment)
}

extension Interpreter {
  public func evaluate(expression: String) throws -> MimeBundle {
    throw ExecutionError(name: "NotSupported", value: "user expressions are not supported")
  }
  public func shutdown(restart: Bool) {}
  public func kernelDidStart(comms: CommManager, environment: KernelEnvironment) {}
}
