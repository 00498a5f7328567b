import JupyterKernel
import XCTest
@testable import VistaKernel

final class EditorTests: XCTestCase {
  let interpreter = VistaInterpreter()

  func testIsComplete() {
    XCTAssertEqual(interpreter.isComplete(code: "echo hi"), .complete)
    XCTAssertEqual(interpreter.isComplete(code: "echo hi \\"), .incomplete(indent: ""))
    XCTAssertEqual(interpreter.isComplete(code: "echo \"open"), .invalid)
    XCTAssertEqual(interpreter.isComplete(code: "echo hi # comment \\"), .complete)
  }

  func testCompletesVerbs() {
    let r = interpreter.complete(code: "ec", cursorPos: 2)
    XCTAssertEqual(r.matches, ["echo"])
    XCTAssertEqual(r.cursorStart, 0)
    XCTAssertEqual(r.cursorEnd, 2)
  }

  func testCompletesFlagsAndHelpTopics() {
    XCTAssertEqual(interpreter.complete(code: "echo --st", cursorPos: 9).matches, ["--stderr"])
    XCTAssertEqual(interpreter.complete(code: "help sl", cursorPos: 7).matches, ["sleep"])
  }

  func testCompletionCountsCodePoints() {
    // "é" is one code point; the cursor is after "ec" on the second line.
    let code = "echo é\nec"
    let r = interpreter.complete(code: code, cursorPos: code.unicodeScalars.count)
    XCTAssertEqual(r.matches, ["echo"])
    XCTAssertEqual(r.cursorStart, code.unicodeScalars.count - 2)
  }

  func testInspectionShowsCommandHelp() throws {
    let bundle = try XCTUnwrap(interpreter.inspect(code: "sleep 3", cursorPos: 2, detailLevel: 0))
    XCTAssertTrue(bundle.string("text/plain")?.contains("interruptible") ?? false)
    XCTAssertNil(interpreter.inspect(code: "   ", cursorPos: 1, detailLevel: 0))
  }

  func testUserExpressions() throws {
    XCTAssertEqual(try interpreter.evaluate(expression: "6*7").string("text/plain"), "42")
    XCTAssertEqual(try interpreter.evaluate(expression: "version").string("text/plain"), VistaInterpreter.version)
    XCTAssertThrowsError(try interpreter.evaluate(expression: "nonsense"))
  }
}
