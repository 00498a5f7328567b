import Foundation
import VistaCore
import XCTest

@testable import VistaKernel

final class SessionRecipeTests: XCTestCase {
  func testRecipeReplaysStagesInChainOrderThenOutputs() throws {
    let session = Session(cacheDirectory: nil)
    ToyPipeline.register(on: session)
    session.defaults = ["seed": "3", "threads": "2"]
    // Configured out of order on purpose: the recipe follows the chain, not the history.
    try ToyPipeline.runChain(session)
    session.recordOutputCommand("preview", requires: .map)
    session.recordOutputCommand("preview", requires: .map)
    session.recordOutputCommand("gain bins=10\n", requires: .fidelity)
    try session.run(.selection, parameters: ["top": "4"], command: "select top=4", progress: .none)
    try session.run(.dataset, parameters: ["n": "20", "note": "a b"], progress: .none)

    let expected = """
      # VISTA recipe: re-run with `vista run THIS.vista --out DIR`
      # One command per configured stage in chain order, then the outputs that were shown.
      set seed=3 threads=2
      dataset n=20 note="a b"
      sae apply power=2
      select top=4
      layout scale=0.5
      map bins=8
      preview
      gain bins=10

      """
    XCTAssertEqual(session.recipe(), expected)
    // The same configuration reached with the defaults set in another order gives the same bytes.
    let twin = Session(cacheDirectory: nil)
    ToyPipeline.register(on: twin)
    twin.defaults = ["threads": "2"]
    twin.defaults["seed"] = "3"
    try ToyPipeline.runChain(twin)
    for (output, stage) in [("preview", Stage.map), ("preview", .map), ("gain bins=10\n", .fidelity)] {
      twin.recordOutputCommand(output, requires: stage)
    }
    try twin.run(.selection, parameters: ["top": "4"], command: "select top=4", progress: .none)
    try twin.run(.dataset, parameters: ["note": "a b", "n": "20"], progress: .none)
    XCTAssertEqual(twin.recipe(), expected, "the same configuration gives the same bytes")

    let url = ToyPipeline.temporaryDirectory().appendingPathComponent("sub/r.vista")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent().deletingLastPathComponent()) }
    try session.saveRecipe(to: url)
    XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), expected)
  }

  func testResetDropsTheOutputsThatCouldNoLongerRun() throws {
    let session = Session(cacheDirectory: nil)
    ToyPipeline.register(on: session)
    try session.run(.dataset, parameters: ["n": "20"], command: "load toy n=20", progress: .none)
    try session.run(.codes, parameters: ["power": "2"], command: "sae apply power=2", progress: .none)
    session.recordOutputCommand("latents", requires: .codes)
    try session.run(.selection, parameters: ["top": "5"], command: "select top=5", progress: .none)
    try session.run(.layout, parameters: ["scale": "1"], command: "layout scale=1", progress: .none)
    try session.run(.map, parameters: ["bins": "2"], command: "map bins=2", progress: .none)
    session.recordOutputCommand("preview", requires: .map)
    session.recordOutputCommand("export layout l.csv", requires: .layout)
    session.reset(.map)
    XCTAssertEqual(session.outputCommands, ["latents", "export layout l.csv"])
    XCTAssertFalse(session.recipe().contains("preview"), "a recipe must not replay an output it cannot produce")
    session.reset(.selection)
    XCTAssertEqual(session.outputCommands, ["latents"])
    session.reset(nil)
    XCTAssertEqual(session.outputCommands, [])
  }

  func testStatusTableShowsEveryStage() throws {
    let session = Session(cacheDirectory: nil)
    ToyPipeline.register(on: session)
    try ToyPipeline.runChain(session)
    try session.run(.layout, parameters: ["scale": "2"], command: "layout scale=2", progress: .none)
    try session.run(.layout, parameters: ["scale": "0.5"], command: "layout scale=0.5", progress: .none)

    let rows = session.statusRows()
    XCTAssertEqual(rows.map(\.stage), Stage.allCases.map(\.rawValue))
    XCTAssertEqual(rows.first { $0.stage == "layout" }?.cache, "memory")
    XCTAssertEqual(rows.first { $0.stage == "codes" }?.cache, "computed")
    XCTAssertEqual(rows.first { $0.stage == "map" }?.state, "stale")
    XCTAssertEqual(rows.first { $0.stage == "plan" }?.state, "empty")

    try session.ensure(.map, progress: .none)
    XCTAssertEqual(session.statusRows().first { $0.stage == "map" }?.cache, "memory")
    let table = session.statusTable()
    let lines = table.text.split(separator: "\n")
    XCTAssertEqual(lines.count, 2 + Stage.allCases.count)
    XCTAssertTrue(lines[0].hasPrefix("stage"))
    XCTAssertTrue(table.text.contains("scale=0.5"))
    XCTAssertEqual(table.html.components(separatedBy: "<tr").count - 1, 1 + Stage.allCases.count)
    XCTAssertTrue(table.html.contains("<td>memory</td>"))

    session.reproducibleOutputs = true
    let reproducible = session.statusTable()
    XCTAssertFalse(reproducible.text.contains(" s "), "no timings in reproducible output")
    XCTAssertFalse(reproducible.html.contains("memory"))
  }

  func testParametersDescribeThemselvesCanonically() {
    let a: StageParameters = ["b": "2", "a": "x y"]
    let b: StageParameters = ["a": "x y", "b": "2"]
    XCTAssertEqual(a.description, #"a="x y" b=2"#)
    XCTAssertEqual(a.canonicalText, b.canonicalText)
    // Length prefixes keep ("a=b", "c") and ("a", "b=c") apart.
    XCTAssertNotEqual(StageParameters(["a=b": "c"]).canonicalText, StageParameters(["a": "b=c"]).canonicalText)
  }
}
