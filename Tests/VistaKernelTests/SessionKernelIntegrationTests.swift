import Foundation
import JupyterKernel
import VistaCore
import XCTest

@testable import VistaKernel

/// The session under the real command layer: a tiny caption file and precomputed codes, driven by the
/// commands a notebook would send. Proves the issue-5 promises end to end, with the real stages.
final class SessionKernelIntegrationTests: XCTestCase {
  private var folder: URL!

  override func setUpWithError() throws {
    folder = ToyPipeline.temporaryDirectory()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let words = ["red", "blue", "dog", "cat", "car", "tree", "sky", "boat", "house", "bird"]
    var rows = ["id\tcaption"]
    for i in 0..<40 { rows.append("c\(i)\ta \(words[i % 10]) by a \(words[(i * 3 + 1) % 10]) number \(i)") }
    try (rows.joined(separator: "\n") + "\n").write(to: captionsURL, atomically: true, encoding: .utf8)
    var generator = SeededGenerator(seed: 11)
    let codes = (0..<(40 * 6)).map { _ in max(0, Float.random(in: -1...2, using: &generator)) }
    try NumPyFile.matrix(codes, rows: 40, cols: 6).write(to: codesURL)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  private var captionsURL: URL { folder.appendingPathComponent("captions.tsv") }
  private var codesURL: URL { folder.appendingPathComponent("codes.npy") }
  private var cacheURL: URL { folder.appendingPathComponent("cache") }

  private var script: String {
    """
    set seed=5
    load \(captionsURL.path)
    codes load \(codesURL.path)
    select latent=1 top=60%
    layout umap neighbors=5 epochs=40
    """
  }

  @discardableResult
  private func execute(_ interpreter: VistaInterpreter, _ code: String) throws -> RecordingContext {
    let context = RecordingContext()
    _ = try interpreter.execute(code: code, silent: false, context: context)
    return context
  }

  func testRestartedKernelReusesTheDiskCache() throws {
    let first = VistaInterpreter(session: Session(cacheDirectory: cacheURL))
    try execute(first, script)
    XCTAssertEqual(first.session.computeCounts[.codes], 1)
    XCTAssertEqual(first.session.computeCounts[.layout], 1)

    let restarted = VistaInterpreter(session: Session(cacheDirectory: cacheURL))
    try execute(restarted, script)
    XCTAssertEqual(restarted.session.computeCounts[.codes, default: 0], 0, "codes come from disk")
    XCTAssertEqual(restarted.session.computeCounts[.layout, default: 0], 0, "the layout comes from disk")
    XCTAssertEqual(restarted.session.diskHitCounts[.layout], 1)
    XCTAssertEqual(restarted.session.record(.layout)?.fingerprint, first.session.record(.layout)?.fingerprint)
    XCTAssertEqual(restarted.session.recipe(), first.session.recipe())
  }

  func testChangingTheLayoutLeavesUpstreamAlone() throws {
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    try execute(interpreter, script)
    let before = interpreter.session.computeCounts
    try execute(interpreter, "layout umap neighbors=7 epochs=40")
    let after = interpreter.session.computeCounts
    for stage in [Stage.dataset, .codes, .selection] {
      XCTAssertEqual(after[stage], before[stage], "\(stage) must not recompute")
    }
    XCTAssertEqual(after[.layout], 2)
    // Back to the first layout: a memory hit, nothing computed.
    try execute(interpreter, "layout umap neighbors=5 epochs=40")
    XCTAssertEqual(interpreter.session.computeCounts[.layout], 2)
    XCTAssertEqual(interpreter.session.record(.layout)?.cacheHit, .memory)
  }

  func testAFailingCommandLeavesTheSessionAsItWas() throws {
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    try execute(interpreter, script)
    let records = interpreter.session.records
    let recipe = interpreter.session.recipe()
    XCTAssertThrowsError(try execute(interpreter, "select latent=999 top=60%"))
    XCTAssertEqual(interpreter.session.records, records)
    XCTAssertEqual(interpreter.session.recipe(), recipe)
  }

  func testSavedRecipeRebuildsTheSameSession() throws {
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: cacheURL))
    try execute(interpreter, script)
    let recipeURL = folder.appendingPathComponent("saved.vista")
    try execute(interpreter, "save recipe \(recipeURL.path)")
    let saved = try String(contentsOf: recipeURL, encoding: .utf8)
    XCTAssertTrue(saved.contains("set seed=5"), saved)

    let replay = VistaInterpreter(session: Session(cacheDirectory: nil))
    try execute(replay, saved)
    XCTAssertEqual(
      replay.session.records.map(\.fingerprint), interpreter.session.records.map(\.fingerprint),
      "the recipe reproduces every stage's fingerprint")
    XCTAssertEqual(replay.session.computeCounts[.layout], 1, "computed afresh, not taken from a cache")
  }

  /// `vista run --out DIR`: files written with a relative path go into DIR (not the working directory), messages
  /// name them relative to DIR, and two runs into different folders write the same bytes.
  func testHeadlessRelativeOutputPathsLandInTheOutputFolder() throws {
    let cwd = FileManager.default.currentDirectoryPath
    let script = script + "\nexport layout tables/layout.csv\nsave recipe again.vista\n"
    var folders: [URL] = []
    for name in ["run-a", "run-b"] {
      let session = Session(cacheDirectory: nil)
      session.reproducibleOutputs = true
      let out = folder.appendingPathComponent(name)
      try HeadlessRunner(interpreter: VistaInterpreter(session: session), outputDirectory: out).run(script: script, name: "s.vista")
      XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("tables/layout.csv").path))
      XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("again.vista").path))
      folders.append(out)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: (cwd as NSString).appendingPathComponent("tables/layout.csv")))
    XCTAssertFalse(FileManager.default.fileExists(atPath: (cwd as NSString).appendingPathComponent("again.vista")))
    let files = try FileManager.default.subpathsOfDirectory(atPath: folders[0].path).sorted()
    XCTAssertEqual(files, try FileManager.default.subpathsOfDirectory(atPath: folders[1].path).sorted())
    for file in files where !file.hasSuffix("tables") {
      XCTAssertEqual(FileManager.default.contents(atPath: folders[0].appendingPathComponent(file).path),
                     FileManager.default.contents(atPath: folders[1].appendingPathComponent(file).path), file)
    }
    let messages = try files.filter { $0.hasSuffix(".txt") }.map { try String(contentsOf: folders[0].appendingPathComponent($0), encoding: .utf8) }
    XCTAssertTrue(messages.contains { $0.contains("to tables/layout.csv") }, "\(messages)")
  }
}
