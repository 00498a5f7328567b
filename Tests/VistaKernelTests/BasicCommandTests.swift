import JupyterKernel
import XCTest
@testable import VistaKernel

final class BasicCommandTests: XCTestCase {
  let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))

  func run(_ code: String, _ context: RecordingContext = RecordingContext()) throws -> (ExecutionResult, RecordingContext) {
    (try interpreter.execute(code: code, silent: false, context: context), context)
  }

  func error(_ code: String) -> ExecutionError? {
    do { _ = try run(code); return nil } catch { return error as? ExecutionError }
  }

  func testEchoToStdoutAndStderr() throws {
    let (_, ctx) = try run("echo hello world\necho --stderr \"bad  news\"\necho a=b")
    XCTAssertEqual(ctx.stdout, "hello world\na=b\n")
    XCTAssertEqual(ctx.stderr, "bad  news\n")
  }

  func testCommentsAndContinuations() throws {
    let (_, ctx) = try run("# a comment\necho one \\\n two  # trailing\n\necho three")
    XCTAssertEqual(ctx.stdout, "one   two\nthree\n")
  }

  func testArithmeticGivesExecuteResult() throws {
    let (result, _) = try run("6*7")
    XCTAssertEqual(result.value?.string("text/plain"), "42")
    XCTAssertEqual(try run("7/2").0.value?.string("text/plain"), "3.5")
    XCTAssertEqual(try run("2^10 - 24").0.value?.string("text/plain"), "1000")
  }

  func testEarlierValuesAreDisplayedAndTheLastIsTheResult() throws {
    let (result, ctx) = try run("1+1\n2+2")
    XCTAssertEqual(ctx.displays.first?.string("text/plain"), "2")
    XCTAssertEqual(result.value?.string("text/plain"), "4")
  }

  func testDisplayAndClear() throws {
    let (_, ctx) = try run("display <b>&\nclear --wait")
    XCTAssertEqual(ctx.displays.first?.string("text/plain"), "<b>&")
    XCTAssertEqual(ctx.displays.first?.string("text/html"), "<p>&lt;b&gt;&amp;</p>")
    XCTAssertEqual(ctx.events.last, .clear(wait: true))
  }

  func testHelpListsGroupsAndDocumentsOptions() throws {
    let (_, ctx) = try run("help")
    let text = try XCTUnwrap(ctx.displays.first?.string("text/plain"))
    XCTAssertTrue(text.contains("Basics"))
    for verb in ["echo", "sleep", "help", "page", "display", "clear", "version"] { XCTAssertTrue(text.contains(verb), verb) }
    let (_, one) = try run("help sleep")
    let sleep = try XCTUnwrap(one.displays.first?.string("text/plain"))
    XCTAssertTrue(sleep.contains("SECONDS"))
    XCTAssertTrue(sleep.contains("interruptible"))
  }

  func testHelpForUnknownCommandSuggests() {
    let e = error("help slep")
    XCTAssertEqual(e?.name, "UnknownCommand")
    XCTAssertTrue(e?.value.contains("did you mean 'sleep'") ?? false, e?.value ?? "")
  }

  func testPagePayload() throws {
    let (result, ctx) = try run("page echo")
    XCTAssertTrue(ctx.events.isEmpty)
    guard case .object(let page)? = result.payload.first else { return XCTFail("no payload") }
    XCTAssertEqual(page["source"], "page")
    XCTAssertEqual(page["start"], 0)
    guard case .object(let data)? = page["data"], case .string(let text)? = data["text/plain"] else { return XCTFail() }
    XCTAssertTrue(text.contains("--stderr"))
    XCTAssertNotNil(data["text/html"])
  }

  func testVersion() throws {
    let (_, ctx) = try run("version")
    XCTAssertTrue(ctx.stdout.hasPrefix("vista \(VistaInterpreter.version)"))
  }

  func testUnknownCommandNamesLineColumnAndSuggestion() {
    let e = error("echo fine\n  ehco hi")
    XCTAssertEqual(e?.name, "UnknownCommand")
    XCTAssertEqual(e?.value, "line 2, column 3: unknown command 'ehco'; did you mean 'echo'?")
  }

  func testNothingRunsWhenALaterLineIsBad() {
    let ctx = RecordingContext()
    XCTAssertThrowsError(try interpreter.execute(code: "echo first\nbogus", silent: false, context: ctx))
    XCTAssertEqual(ctx.stdout, "")
  }

  func testBadValueNamesExpectedFormAndColumn() {
    let e = error("sleep soon")
    XCTAssertEqual(e?.name, "BadValue")
    XCTAssertEqual(e?.value, "line 1, column 7: SECONDS expects a number from 0 to 86400, got 'soon'")
  }

  func testMissingArgument() {
    XCTAssertEqual(error("sleep")?.name, "MissingArgument")
  }

  func testArithmeticErrorColumn() {
    let e = error("echo x\n1 + (2 *")
    XCTAssertEqual(e?.name, "SyntaxError")
    XCTAssertTrue(e?.value.hasPrefix("line 2, column") ?? false, e?.value ?? "")
  }

  func testSleepIsInterruptible() throws {
    let ctx = RecordingContext()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { ctx.interrupt() }
    let start = Date()
    XCTAssertThrowsError(try interpreter.execute(code: "sleep 30\necho after", silent: false, context: ctx)) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "KeyboardInterrupt")
      XCTAssertEqual((error as? ExecutionError)?.value, "interrupted")
    }
    XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    XCTAssertEqual(ctx.stdout, "")
  }

  func testSleepCompletes() throws {
    let start = Date()
    _ = try run("sleep 0.05")
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.05)
  }

  func testExplorerCommStoresSelection() throws {
    let ctx = RecordingContext()
    _ = try interpreter.execute(code: "version", silent: false, context: ctx)
    XCTAssertTrue(ctx.comms.hasTarget("vista.explorer"))
    XCTAssertTrue(ctx.comms.frontendOpened(id: "c1", target: "vista.explorer", data: [:]))
    ctx.comms.frontendSent(id: "c1", data: ["event": "selection", "ids": ["a", "b"], "indices": [3, 7]])
    XCTAssertEqual(interpreter.state.explorerSelection?.ids, ["a", "b"])
    XCTAssertEqual(interpreter.state.explorerSelection?.indices, [3, 7])
  }

  func testUnquotedTextValueSuggestsQuotes() {
    let e = error("captions search=red bird")
    XCTAssertEqual(e?.name, "BadValue")
    XCTAssertTrue(e?.value.hasSuffix("; quote a value with spaces: search=\"red bird\"") ?? false, e?.value ?? "")
    let f = error("export layout out.csv format=csv extra")
    XCTAssertEqual(f?.name, "UnexpectedArgument")
  }

  func testOptionGivenTwiceAndUnknownFlag() {
    XCTAssertEqual(error("layout neighbors=5 neighbors=6")?.name, "BadOption")
    let e = error("echo --stdrr x")
    XCTAssertEqual(e?.name, "BadOption")
    XCTAssertTrue(e?.value.contains("did you mean '--stderr'") ?? false, e?.value ?? "")
  }

  func testUnknownSubcommandSuggests() {
    let e = error("sae trian")
    XCTAssertEqual(e?.name, "UnknownCommand")
    XCTAssertTrue(e?.value.hasPrefix("line 1, column 5: unknown subcommand 'trian' for sae; did you mean 'train'?") ?? false, e?.value ?? "")
  }
}
