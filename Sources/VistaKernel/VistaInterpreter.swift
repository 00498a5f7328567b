import Foundation
import JupyterKernel

/// PLACEHOLDER until the command layer lands: the VISTA interpreter the executable runs.
/// Keeps the public shape (`init()`, conforms to `Interpreter`) that `vista kernel` relies on.
public final class VistaInterpreter: Interpreter {
  public init() {}

  public var info: InterpreterInfo {
    InterpreterInfo(
      implementation: "vista", implementationVersion: "0.1.0", banner: "VISTA kernel",
      language: LanguageInfo(name: "vista", version: "0.1.0", mimetype: "text/x-vista", fileExtension: ".vista"))
  }

  public func execute(code: String, silent: Bool, context: ExecutionContext) throws -> ExecutionResult {
    for line in code.split(separator: "\n") where line.hasPrefix("echo ") {
      context.stream(String(line.dropFirst(5)) + "\n", toStderr: false)
    }
    return ExecutionResult()
  }

  public func complete(code: String, cursorPos: Int) -> CompletionResult {
    CompletionResult(matches: [], cursorStart: cursorPos, cursorEnd: cursorPos)
  }

  public func inspect(code: String, cursorPos: Int, detailLevel: Int) -> MimeBundle? { nil }

  public func isComplete(code: String) -> CompletenessStatus { .complete }
}
