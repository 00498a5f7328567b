import JupyterKernel
import XCTest
@testable import VistaKernel

final class EditorTests: XCTestCase {
  let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))

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

  func testCompletesSubjectsOptionsAndValues() {
    XCTAssertEqual(interpreter.complete(code: "sae ", cursorPos: 4).matches.sorted(), ["apply", "info", "load", "train"])
    XCTAssertEqual(interpreter.complete(code: "layout umap nei", cursorPos: 15).matches, ["neighbors="])
    let metric = interpreter.complete(code: "layout metric=co", cursorPos: 16)
    XCTAssertEqual(metric.matches, ["cosine", "correlation"])
    XCTAssertEqual(metric.cursorStart, 14)
    XCTAssertEqual(interpreter.complete(code: "reset la", cursorPos: 8).matches, ["layout"])
    XCTAssertEqual(interpreter.complete(code: "load de", cursorPos: 7).matches, ["demo"])
    XCTAssertEqual(interpreter.complete(code: "preview grid=o", cursorPos: 14).matches, ["on", "off"])
    // Options already typed are not offered again.
    XCTAssertFalse(interpreter.complete(code: "layout neighbors=5 n", cursorPos: 20).matches.contains("neighbors="))
  }

  func testCompletesPaths() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vista-h5-paths-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: folder.appendingPathComponent("captions.tsv").path, contents: Data())
    defer { try? FileManager.default.removeItem(at: folder) }
    let code = "load \(folder.path)/c"
    XCTAssertEqual(interpreter.complete(code: code, cursorPos: code.count).matches, ["\(folder.path)/captions.tsv"])
    let dir = "codes load \(folder.path)/"
    XCTAssertEqual(interpreter.complete(code: dir, cursorPos: dir.count).matches, ["\(folder.path)/captions.tsv", "\(folder.path)/sub/"])
  }

  func testCompletesLatentNumbersFromTheCodes() throws {
    let data = try SyntheticDataset(count: 40, groups: 4)
    defer { data.remove() }
    let session = VistaInterpreter(session: Session(cacheDirectory: nil))
    _ = try session.execute(code: "load \(data.captionsPath)\ncodes load \(data.codesPath)", silent: false, context: RecordingContext())
    let r = session.complete(code: "select latent=", cursorPos: 14)
    // Latent 0 is active on every caption: the most frequent comes first.
    XCTAssertEqual(r.matches.first, "0")
    XCTAssertTrue(r.matches.contains("1"))
  }

  func testInspectionOfAnOption() throws {
    let code = "layout umap min_dist=0.2"
    let bundle = try XCTUnwrap(interpreter.inspect(code: code, cursorPos: 15, detailLevel: 0))
    let text = try XCTUnwrap(bundle.string("text/plain"))
    XCTAssertTrue(text.contains("min_dist"))
    XCTAssertTrue(text.contains("default 0.1"))
  }

  func testUserExpressionsReadTheSession() throws {
    XCTAssertEqual(try interpreter.evaluate(expression: "seed").string("text/plain"), "1")
    XCTAssertTrue(try interpreter.evaluate(expression: "status").string("text/plain")?.contains("dataset") ?? false)
  }
}
