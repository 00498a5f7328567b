import Foundation
@testable import JupyterKernel

/// A tiny interpreter for transport tests: one verb per cell.
///   say TEXT   -> stdout        ask PROMPT -> input over stdin, echoed to stdout
///   count      -> 500 stdout writes, a display, more stdout, then stderr
///   wait [TEXT] -> writes TEXT, then blocks until interrupted (cooperatively)
///   show ID    -> display_data with a display id, then update_display_data
///   fail       -> an error      value      -> execute_result "7"
///   open       -> opens a comm to the frontend (target "test.target")
final class TestInterpreter: Interpreter {
  var info: InterpreterInfo {
    InterpreterInfo(implementation: "test", implementationVersion: "1.0", banner: "test kernel",
                    language: LanguageInfo(name: "test", version: "1.0", mimetype: "text/plain", fileExtension: ".txt"),
                    helpLinks: [(text: "docs", url: "https://example.org")])
  }

  func execute(code: String, silent: Bool, context: ExecutionContext) throws -> ExecutionResult {
    let (verb, rest) = code.firstIndex(of: " ").map { (String(code[..<$0]), String(code[code.index(after: $0)...])) } ?? (code, "")
    switch verb {
    case "say": context.stream(rest + "\n", toStderr: false)
    case "count":  // many small writes, a display in the middle, then stderr
      for i in 1...500 { context.stream("\(i)\n", toStderr: false) }
      context.display(MimeBundle.text("middle"), displayID: nil)
      context.stream("after\n", toStderr: false)
      context.stream("oops\n", toStderr: true)
    case "ask": context.stream("got " + (try context.input(prompt: rest, password: false)) + "\n", toStderr: false)
    case "wait":
      if !rest.isEmpty { context.stream(rest + "\n", toStderr: false) }
      let woke = Latch()
      context.onInterrupt { woke.open() }
      woke.wait(timeout: 30)
      XCTAssertTrue(context.isInterrupted)
    case "show":
      context.display(MimeBundle.text("v1"), displayID: rest)
      context.update(MimeBundle.text("v2"), displayID: rest)
    case "fail": throw ExecutionError(name: "TestError", value: "failed on purpose")
    case "value": return ExecutionResult(value: MimeBundle.text("7"))
    case "open": context.comms.open(target: "test.target", data: ["hello": 1])
    default: break
    }
    return ExecutionResult()
  }

  func complete(code: String, cursorPos: Int) -> CompletionResult {
    CompletionResult(matches: ["say"], cursorStart: 0, cursorEnd: cursorPos)
  }

  func inspect(code: String, cursorPos: Int, detailLevel: Int) -> MimeBundle? { nil }
  func isComplete(code: String) -> CompletenessStatus { code.hasSuffix("\\") ? .incomplete(indent: "  ") : .complete }
}

import XCTest
