import Foundation
import JupyterKernel
import VistaCore
import XCTest

@testable import VistaKernel

/// The runner's file naming, normalisation and error reporting, against a small scripted interpreter
/// whose outputs carry the volatile parts (times, PNG time chunks) a real command might leak.
/// The end-to-end test with the real command layer is Tests/python/test_recipes.py.
final class SessionHeadlessRunnerTests: XCTestCase {
  /// Understands `figure N`, `table`, `json`, `echo TEXT`, `progress` and `fail`.
  final class ScriptedInterpreter: Interpreter {
    var executed: [String] = []
    var clock = 0.0
    var info: InterpreterInfo {
      InterpreterInfo(
        implementation: "scripted", implementationVersion: "0", banner: "",
        language: LanguageInfo(name: "vista", version: "0", mimetype: "text/x-vista", fileExtension: ".vista"))
    }

    func execute(code: String, silent: Bool, context: ExecutionContext) throws -> ExecutionResult {
      executed.append(code)
      clock += 1.37
      let words = code.split(separator: " ").map(String.init)
      switch words.first {
      case "figure":
        context.display(MimeBundle(data: ["progress": "x"], metadata: ["progress": true]), displayID: "p1")
        let png = PNGFixture.make(tag: UInt8(words.count > 1 ? Int(words[1]) ?? 0 : 0), time: UInt8(truncatingIfNeeded: Int(clock * 10)))
        context.display(
          MimeBundle(
            data: ["image/png": .string(png.base64EncodedString()), "text/plain": .string("figure, \(clock) s")],
            metadata: ["elapsed": .double(clock), "width": 4]),
          displayID: nil)
        return ExecutionResult()
      case "table":
        return ExecutionResult(
          value: MimeBundle(data: [
            "text/html": .string("<td>\(clock) s</td>"), "text/plain": .string("table done in \(clock) s"),
          ]))
      case "json":
        return ExecutionResult(
          value: MimeBundle(data: ["application/json": ["z": 1, "a": ["seconds": .double(clock), "k": "v"]]]))
      case "echo":
        context.stream(words.dropFirst().joined(separator: " ") + "\n", toStderr: false)
        return ExecutionResult()
      case "fail":
        throw ExecutionError(name: "CommandFailed", value: "no such thing")
      case "misplaced":
        throw ExecutionError(name: "BadValue", value: "line 2, column 3: expected a number")
      default:
        return ExecutionResult()
      }
    }

    func complete(code: String, cursorPos: Int) -> CompletionResult {
      CompletionResult(matches: [], cursorStart: 0, cursorEnd: 0)
    }
    func inspect(code: String, cursorPos: Int, detailLevel: Int) -> MimeBundle? { nil }
    func isComplete(code: String) -> CompletenessStatus { .complete }
  }

  private var folder: URL!

  override func setUp() { folder = ToyPipeline.temporaryDirectory() }
  override func tearDown() { try? FileManager.default.removeItem(at: folder) }

  private let script = """
    # a comment
    figure 1
    table   # trailing comment
    json \\
      more
    echo took 2.5 s
    """

  private func runOnce(into out: URL) throws -> (HeadlessRunSummary, ScriptedInterpreter) {
    let interpreter = ScriptedInterpreter()
    let summary = try HeadlessRunner(interpreter: interpreter, outputDirectory: out).run(script: script, name: "s.vista")
    return (summary, interpreter)
  }

  func testOutputsGetStableNamesAndTheManifestListsThem() throws {
    let (summary, interpreter) = try runOnce(into: folder)
    XCTAssertEqual(interpreter.executed.count, 4)
    XCTAssertEqual(interpreter.executed[0], "figure 1")
    XCTAssertEqual(interpreter.executed[1], "table   # trailing comment", "the interpreter sees the lines as written")
    XCTAssertEqual(interpreter.executed[2], "json \\\n  more", "a continued command is passed whole")
    XCTAssertEqual(summary.commands, 4)
    XCTAssertEqual(summary.files, ["001-figure.png", "002-table.html", "003-json.json", "004-echo.txt", "manifest.json"])
    let png = try Data(contentsOf: folder.appendingPathComponent("001-figure.png"))
    XCTAssertFalse(PNGFixture.chunkTypes(png).contains("tIME"))
    XCTAssertEqual(PNGFixture.chunkTypes(png), ["IHDR", "tEXt", "IDAT", "IEND"])
    XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("002-table.html"), encoding: .utf8), "<td><time></td>")
    XCTAssertEqual(
      try String(contentsOf: folder.appendingPathComponent("003-json.json"), encoding: .utf8),
      "{\n  \"a\": {\n    \"k\": \"v\"\n  },\n  \"z\": 1\n}")
    XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("004-echo.txt"), encoding: .utf8), "took <time>\n")
    let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
    XCTAssertTrue(manifest.contains("\"status\": \"ok\""))
    XCTAssertTrue(manifest.contains("\"line\": 4"), "the json command starts on line 4")
    XCTAssertFalse(manifest.contains("elapsed"))
  }

  func testTwoRunsWriteTheSameBytes() throws {
    let other = ToyPipeline.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: other) }
    let (first, _) = try runOnce(into: folder)
    // A different interpreter instance whose clock differs still writes identical files.
    let interpreter = ScriptedInterpreter()
    interpreter.clock = 100
    let second = try HeadlessRunner(interpreter: interpreter, outputDirectory: other).run(script: script, name: "s.vista")
    XCTAssertEqual(first.files, second.files)
    for name in first.files {
      XCTAssertEqual(
        try Data(contentsOf: folder.appendingPathComponent(name)), try Data(contentsOf: other.appendingPathComponent(name)),
        name)
    }
  }

  func testDurationNormalisationLeavesOtherNumbersAlone() {
    XCTAssertEqual(HeadlessRunner.normaliseVolatile("done in 0.42 s, 12ms, 2 min 05 s"), "done in <time>, <time>, <time>")
    XCTAssertEqual(HeadlessRunner.normaliseVolatile("tiles 32x18 min=4, 5 selected, 3 sets"), "tiles 32x18 min=4, 5 selected, 3 sets")
  }

  func testFirstErrorStopsTheRunWithFileAndLine() throws {
    let interpreter = ScriptedInterpreter()
    let runner = HeadlessRunner(interpreter: interpreter, outputDirectory: folder)
    XCTAssertThrowsError(try runner.run(script: "figure 1\n\nfail now\nfigure 2\n", name: "r.vista")) { error in
      XCTAssertEqual("\(error)", "r.vista:3: CommandFailed: no such thing")
    }
    XCTAssertEqual(interpreter.executed, ["figure 1", "fail now"])
    let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
    XCTAssertTrue(manifest.contains("\"error\": \"r.vista:3: CommandFailed: no such thing\""), manifest)
  }

  func testErrorPositionsBecomeScriptLinesAndColumns() throws {
    let runner = HeadlessRunner(interpreter: ScriptedInterpreter(), outputDirectory: folder)
    XCTAssertThrowsError(try runner.run(script: "table\n# note\nmisplaced \\\n  x=oops\n", name: "m.vista")) { error in
      XCTAssertEqual("\(error)", "m.vista:4:3: BadValue: expected a number")
    }
  }

  func testAnUnclosedQuoteIsReportedAtItsLine() throws {
    let runner = HeadlessRunner(interpreter: ScriptedInterpreter(), outputDirectory: folder)
    XCTAssertThrowsError(try runner.run(script: "table\n\necho \"open\n", name: "q.vista")) { error in
      XCTAssertTrue("\(error)".hasPrefix("q.vista:3:"), "\(error)")
    }
  }

  func testRefusesAForeignNonEmptyFolderButReplacesItsOwnRun() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("keep".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    XCTAssertThrowsError(try runOnce(into: folder))
    try FileManager.default.removeItem(at: folder.appendingPathComponent("notes.txt"))
    _ = try runOnce(into: folder)
    let runner = HeadlessRunner(interpreter: ScriptedInterpreter(), outputDirectory: folder)
    try runner.run(script: "table\n", name: "t.vista")
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["001-table.html", "manifest.json"])
  }
}

/// Builds tiny (not decodable, structurally valid) PNG chunk streams for the normaliser.
enum PNGFixture {
  static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let length = UInt32(body.count)
    return [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
      + Array(type.utf8) + body + [0, 0, 0, 0]
  }

  static func make(tag: UInt8, time: UInt8) -> Data {
    Data(
      PNGNormaliser.signature + chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        + chunk("tEXt", Array("params\u{0}tag".utf8) + [tag]) + chunk("tIME", [7, 234, 1, 1, 0, 0, time])
        + chunk("IDAT", [tag, 1, 2]) + chunk("IEND", []))
  }

  static func chunkTypes(_ png: Data) -> [String] {
    let bytes = [UInt8](png)
    var offset = 8
    var types: [String] = []
    while offset + 12 <= bytes.count {
      let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      types.append(String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self))
      offset += 12 + length
    }
    return types
  }
}
