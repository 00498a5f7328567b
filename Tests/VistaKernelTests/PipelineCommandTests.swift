import JupyterKernel
import VistaCore
import VistaData
import VistaMap
import VistaRender
import XCTest
@testable import VistaKernel

/// End-to-end command sequences on a small synthetic dataset (no MiniLM weights needed: codes are given).
final class PipelineCommandTests: XCTestCase {
  var data: SyntheticDataset!
  var interpreter: VistaInterpreter!

  override func setUpWithError() throws {
    data = try SyntheticDataset()
    interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
  }

  override func tearDown() { data.remove() }

  @discardableResult
  func run(_ code: String) throws -> RecordingContext {
    let ctx = RecordingContext()
    do {
      _ = try interpreter.execute(code: code, silent: false, context: ctx)
    } catch let e as ExecutionError {
      XCTFail("\(code) failed: \(e.name): \(e.value)")
      throw e
    }
    return ctx
  }

  func prepare(layout: String = "layout umap neighbors=10 epochs=60 seed=3") throws {
    try run("""
      load \(data.captionsPath)
      codes load \(data.codesPath)
      select latent=0 top=200
      \(layout)
      """)
  }

  func png(_ bundle: MimeBundle) throws -> DecodedImage {
    let b64 = try XCTUnwrap(bundle.string("image/png"))
    return try DecodedImage(png: [UInt8](XCTUnwrap(Data(base64Encoded: b64))))
  }

  func testLoadShowsCaptionTable() throws {
    let ctx = try run("load \(data.captionsPath)")
    let table = try XCTUnwrap(ctx.displays.last)
    XCTAssertTrue(table.string("text/html")?.contains("<table") ?? false)
    let text = try XCTUnwrap(table.string("text/plain"))
    XCTAssertTrue(text.contains("a apple picture number 0"))
    XCTAssertTrue(text.contains("240 captions"))
    XCTAssertTrue(text.contains("group"))
  }

  func testLoadMissingFileIsABadValueAtTheArgument() {
    let ctx = RecordingContext()
    XCTAssertThrowsError(try interpreter.execute(code: "load /nonexistent/x.tsv", silent: false, context: ctx)) { error in
      let e = error as? ExecutionError
      XCTAssertEqual(e?.name, "BadValue")
      XCTAssertTrue(e?.value.hasPrefix("line 1, column 6:") ?? false, e?.value ?? "")
    }
  }

  func testSelectKeepsTheStrongestCaptions() throws {
    try run("load \(data.captionsPath)\ncodes load \(data.codesPath)\nselect latent=0 top=50")
    let selection = try XCTUnwrap(interpreter.session.result(.selection, as: LatentSelection.self))
    XCTAssertEqual(selection.count, 50)
    XCTAssertEqual(selection.activations, selection.activations.sorted(by: >))
    // Latent 0 grows with the row index: the strongest captions are the last ones.
    XCTAssertGreaterThan(selection.rows.min() ?? 0, data.count / 2)
    try run("select latent=1 top=5%")
    XCTAssertEqual(interpreter.session.result(.selection, as: LatentSelection.self)?.count, 12)
  }

  func testSelectRejectsALatentOutsideTheCodesAndKeepsTheSession() throws {
    try run("load \(data.captionsPath)\ncodes load \(data.codesPath)\nselect latent=0 top=50")
    let before = interpreter.session.record(.selection)
    let ctx = RecordingContext()
    XCTAssertThrowsError(try interpreter.execute(code: "select latent=999", silent: false, context: ctx)) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "BadValue")
      XCTAssertTrue((error as? ExecutionError)?.value.contains("latent 999") ?? false)
    }
    XCTAssertEqual(interpreter.session.record(.selection), before)
  }

  func testLayoutShowsAScatterColouredByActivation() throws {
    try run("load \(data.captionsPath)\ncodes load \(data.codesPath)\nselect latent=0 top=200")
    let ctx = try run("layout umap neighbors=10 epochs=60 aspect=16:9 seed=3")
    let figure = try XCTUnwrap(ctx.displays.last)
    let image = try png(figure)
    XCTAssertEqual(image.width, 900)
    XCTAssertEqual(image.height, 506)
    // Not blank: many distinct colours (the viridis points on paper).
    var colours = Set<UInt32>()
    for p in stride(from: 0, to: image.rgba.count, by: 4) {
      colours.insert(UInt32(image.rgba[p]) << 16 | UInt32(image.rgba[p + 1]) << 8 | UInt32(image.rgba[p + 2]))
    }
    XCTAssertGreaterThan(colours.count, 20)
    guard case .object(let vista)? = figure.metadata["vista"] else { return XCTFail("no vista metadata") }
    XCTAssertEqual(vista["neighbors"], "10")
    XCTAssertEqual(vista["metric"], "vista")
    XCTAssertTrue(figure.string("text/plain")?.contains("latent 0") ?? false)
  }

  func testSameLayoutTwiceIsACacheHit() throws {
    try prepare()
    let layoutRuns = interpreter.session.computeCounts[.layout]
    try run("layout umap neighbors=10 epochs=60 seed=3")
    XCTAssertEqual(interpreter.session.computeCounts[.layout], layoutRuns)
    XCTAssertEqual(interpreter.session.record(.layout)?.cacheHit, .memory)
  }

  func testGainShowsCurveAndTableWithMaximum() throws {
    try prepare()
    let ctx = try run("gain k=1%..10%")
    XCTAssertEqual(ctx.displays.count, 2)
    let image = try png(ctx.displays[0])
    XCTAssertEqual(image.width, 900)
    let table = try XCTUnwrap(ctx.displays[1].string("text/plain"))
    XCTAssertTrue(table.contains("◀ max"))
    XCTAssertTrue(table.contains("trustworthiness"))
    let fidelity = try XCTUnwrap(interpreter.session.result(.fidelity, as: FidelityResult.self))
    XCTAssertEqual(fidelity.curve.points.first?.fraction ?? 0, 0.01, accuracy: 1e-9)
    XCTAssertEqual(fidelity.curve.points.last?.fraction ?? 0, 0.10, accuracy: 1e-9)
    // A UMAP of structured codes keeps far more neighbours than chance.
    XCTAssertGreaterThan(fidelity.curve.maxGain, 0.1)
    XCTAssertGreaterThan(fidelity.trustworthiness, 0.7)
  }

  func testTilesPreviewAndCaptions() throws {
    try prepare()
    let tiles = try run("tiles 8x5 min=2")
    let summary = try XCTUnwrap(tiles.displays.first?.string("text/plain"))
    XCTAssertTrue(summary.contains("8x5 = 40"))
    let preview = try run("preview grid=on")
    XCTAssertEqual(try png(XCTUnwrap(preview.displays.last)).width, 1400)
    let byGroup = try run("preview color=group width=600")
    XCTAssertEqual(try png(XCTUnwrap(byGroup.displays.last)).width, 600)

    let map = try XCTUnwrap(interpreter.session.result(.map, as: CaptionMap.self))
    let busiest = try XCTUnwrap(map.tiles.tiles.max { $0.count < $1.count })
    let listed = try run("captions tile=\(busiest.column),\(busiest.row)")
    let text = try XCTUnwrap(listed.displays.last?.string("text/plain"))
    XCTAssertEqual(text.split(separator: "\n").count, 3 + min(busiest.count, 25) + (busiest.count > 25 ? 1 : 0))

    let search = try run("captions search=falcon page_size=5")
    let html = try XCTUnwrap(search.displays.last?.string("text/html"))
    XCTAssertTrue(html.contains("<mark>falcon</mark>"))
    XCTAssertTrue(search.displays.last?.string("text/plain")?.contains("page 1 of") ?? false)
  }

  func testAFolderWhereAFileIsNeededIsNamedAsSuch() throws {
    func failure(_ code: String) -> String {
      do {
        _ = try interpreter.execute(code: code, silent: false, context: RecordingContext())
        XCTFail("'\(code)' should have failed")
        return ""
      } catch let e as ExecutionError { return e.value } catch { return "\(error)" }
    }
    XCTAssertTrue(failure("load \(data.folder.path)").contains("the caption file is a folder"))
    XCTAssertTrue(failure("codes load \(data.folder.path)").contains("the codes file is a folder"))
    XCTAssertTrue(failure("codes load \(data.folder.path)/absent.npz").contains("no such codes file"))
    // An SAE may be a folder; this one is not an SAELens folder, which the reader says.
    let saeFolder = failure("sae load \(data.folder.path)")
    XCTAssertFalse(saeFolder.contains("is a folder"), saeFolder)
    XCTAssertTrue(saeFolder.contains("cfg.json is missing"), saeFolder)
    // The session kept nothing from the failures.
    XCTAssertNil(interpreter.session.record(.dataset))
  }

  func testTooFineGridWarnsAndSuggestsOne() throws {
    try prepare()
    let fine = try run("tiles 400x200 min=4").stderr
    XCTAssertTrue(fine.contains("too fine for 200 captions"), fine)
    // About 7 captions a tile, the grid's 2:1 shape kept: 200 / 7 ≈ 29 tiles → 8x4.
    XCTAssertTrue(fine.contains("try `tiles 8x4 min=4`"), fine)
    let suggested = try run("tiles 8x4 min=4").stderr
    XCTAssertEqual(suggested, "", "the suggested grid draws most captions")
    // A larger minimum asks for fuller tiles: 1.75 × 20 = 35 captions a tile → 3x2, which draws most.
    let strict = try run("tiles 400x200 min=20").stderr
    XCTAssertTrue(strict.contains("try `tiles 3x2 min=20`"), strict)
    XCTAssertEqual(try run("tiles 3x2 min=20").stderr, "", "the suggested grid draws most captions")
    let tooFew = try run("tiles 8x4 min=150").stderr
    XCTAssertTrue(tooFew.contains("lower the minimum, e.g. `tiles 8x4 min=1`"), tooFew)
  }

  func testPreviewWithUnknownColumnSuggests() throws {
    try prepare()
    let ctx = RecordingContext()
    XCTAssertThrowsError(try interpreter.execute(code: "preview color=grup", silent: false, context: ctx)) { error in
      let e = error as? ExecutionError
      XCTAssertEqual(e?.name, "BadValue")
      XCTAssertTrue(e?.value.contains("did you mean 'group'") ?? false, e?.value ?? "")
      XCTAssertTrue(e?.value.hasPrefix("line 1, column 15") ?? false, e?.value ?? "")
    }
  }

  func testChangingTheLayoutRecomputesOnlyDownstream() throws {
    try prepare()
    try run("gain k=1%..10%\ntiles 8x5 min=2")
    let before = interpreter.session.computeCounts
    try run("layout umap neighbors=12 epochs=60 seed=3")
    XCTAssertEqual(interpreter.session.record(.map)?.state, .stale)
    try run("preview")
    let after = interpreter.session.computeCounts
    XCTAssertEqual(after[.selection], before[.selection])
    XCTAssertEqual(after[.codes], before[.codes])
    XCTAssertEqual(after[.layout], (before[.layout] ?? 0) + 1)
    XCTAssertEqual(after[.map], (before[.map] ?? 0) + 1)
  }

  func testStatusRecipeAndExport() throws {
    try prepare()
    try run("tiles 8x5 min=2")
    let status = try XCTUnwrap(try run("status").displays.last?.string("text/plain"))
    XCTAssertTrue(status.contains("layout"))
    XCTAssertTrue(status.contains("fresh"))
    let recipe = data.folder.appendingPathComponent("r.vista").path
    let csv = data.folder.appendingPathComponent("layout.csv").path
    try run("save recipe \(recipe)\nexport layout \(csv)")
    let script = try String(contentsOfFile: recipe, encoding: .utf8)
    XCTAssertTrue(script.contains("layout umap neighbors=10 epochs=60 seed=3"))
    XCTAssertTrue(script.contains("select latent=0 top=200"))
    let rows = try String(contentsOfFile: csv, encoding: .utf8).split(whereSeparator: \.isNewline)
    XCTAssertEqual(rows.count, 201)
    XCTAssertTrue(rows[0].hasPrefix("id,caption,x,y,tile,cluster,activation"))
  }

  func testCommandBeforeItsStageSaysWhatToRun() {
    let ctx = RecordingContext()
    XCTAssertThrowsError(try interpreter.execute(code: "select latent=1", silent: false, context: ctx)) { error in
      XCTAssertTrue((error as? ExecutionError)?.value.contains("load") ?? false, "\(error)")
    }
  }
}

/// Render, explore and sweep commands on the synthetic dataset.
final class RenderAndSweepCommandTests: XCTestCase {
  var data: SyntheticDataset!
  var interpreter: VistaInterpreter!

  override func setUpWithError() throws {
    data = try SyntheticDataset()
    interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    let ctx = RecordingContext()
    _ = try interpreter.execute(code: """
      load \(data.captionsPath)
      codes load \(data.codesPath)
      select latent=0 top=160
      layout umap neighbors=8 epochs=40 seed=2
      tiles 8x5 min=2
      """, silent: false, context: ctx)
  }

  override func tearDown() { data.remove() }

  func run(_ code: String) throws -> RecordingContext {
    let ctx = RecordingContext()
    _ = try interpreter.execute(code: code, silent: false, context: ctx)
    return ctx
  }

  func testRenderPlanWritesJSONAndPreviewDraws() throws {
    let out = data.folder.appendingPathComponent("plan.json").path
    let ctx = try run("render plan steps=6 window=64 stride=32 out=\(out)")
    XCTAssertTrue(ctx.displays.last?.string("text/plain")?.contains("windows") ?? false)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
    XCTAssertEqual(json?["format"] as? String, "vista.render-plan")
    XCTAssertEqual((json?["schedule"] as? [Any])?.count, 6)
    let preview = try run("render plan preview step=3 width=800")
    XCTAssertNotNil(preview.displays.last?.string("image/png"))
    XCTAssertThrowsError(try run("render plan preview step=6")) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "BadValue")
    }
  }

  func testExploreIsSelfContainedHTMLAndSelectionComesBack() throws {
    let ctx = try run("explore")
    let html = try XCTUnwrap(ctx.displays.last?.string("text/html"))
    XCTAssertTrue(html.contains("vista.explorer"))
    XCTAssertFalse(html.contains("http://") || html.contains("https://cdn"))
    // The explorer sends dataset rows as ids and map indices; `captions selection` lists them.
    let selection = try XCTUnwrap(interpreter.session.result(.selection, as: LatentSelection.self))
    XCTAssertTrue(ctx.comms.frontendOpened(id: "x", target: "vista.explorer",
                                           data: ["event": "selection", "ids": [.int(selection.rows[0]), .int(selection.rows[1])], "indices": [0, 1]]))
    let listed = try run("captions selection")
    let text = try XCTUnwrap(listed.displays.last?.string("text/plain"))
    XCTAssertTrue(text.contains("Explorer selection (2 captions)"), text)
    let exported = data.folder.appendingPathComponent("explorer.html")
    _ = try run("export explorer \(exported.path)")
    let page = try String(contentsOf: exported, encoding: .utf8)
    XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
  }

  func testSweepShowsContactSheetAndTableAndPicksBest() throws {
    let ctx = try run("sweep layout neighbors=5,10 min_dist=0.1,0.5 epochs=30 pick=best")
    XCTAssertEqual(ctx.displays.count, 2)
    let sheet = try DecodedImage(png: [UInt8](XCTUnwrap(Data(base64Encoded: XCTUnwrap(ctx.displays[0].string("image/png"))))))
    XCTAssertGreaterThan(sheet.width, 600)
    let table = try XCTUnwrap(ctx.displays[1].string("text/plain"))
    XCTAssertTrue(table.contains("◀ best"))
    XCTAssertEqual(table.split(separator: "\n").count, 3 + 4 + 1)
    let record = try XCTUnwrap(interpreter.session.record(.layout))
    XCTAssertEqual(record.parameters.values["epochs"], "30")
    XCTAssertEqual(record.cacheHit, .memory)
    XCTAssertTrue(ctx.stdout.contains("picked"))
  }

  func testSweepRejectsUnknownOptionWithSuggestion() {
    XCTAssertThrowsError(try run("sweep layout neighbours=5,10")) { error in
      let e = error as? ExecutionError
      XCTAssertEqual(e?.name, "BadOption")
      XCTAssertTrue(e?.value.contains("did you mean 'neighbors'") ?? false, e?.value ?? "")
      XCTAssertTrue(e?.value.hasPrefix("line 1, column 14") ?? false, e?.value ?? "")
    }
    XCTAssertThrowsError(try run("sweep layout neighbors=5,x")) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "BadValue")
    }
  }

  func testInterruptedSweepKeepsFinishedLayouts() throws {
    let ctx = RecordingContext()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { ctx.interrupt() }
    XCTAssertThrowsError(try interpreter.execute(code: "sweep layout neighbors=5..12 epochs=200", silent: false, context: ctx)) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "KeyboardInterrupt")
    }
    // The session's layout is untouched and the results table was shown.
    XCTAssertEqual(interpreter.session.record(.layout)?.parameters.values["neighbors"], "8")
    XCTAssertTrue(ctx.displays.contains { $0.string("text/plain")?.contains("Sweep results") ?? false })
  }

  func testSweepOverTheSelection() throws {
    let ctx = try run("sweep selection top=60,120 pick=best")
    let table = try XCTUnwrap(ctx.displays.last?.string("text/plain"))
    XCTAssertTrue(table.contains("top"))
    XCTAssertEqual(table.split(separator: "\n").count, 3 + 2 + 1)
    let top = try XCTUnwrap(interpreter.session.record(.selection)?.parameters.values["top"])
    XCTAssertTrue(["60", "120"].contains(top))
    XCTAssertEqual(interpreter.session.record(.layout)?.state, .stale)
  }

  func testRenderAtlasWritesAPyramid() throws {
    let out = data.folder.appendingPathComponent("atlas")
    let ctx = try run("render atlas width=1024 tile_size=256 out=\(out.path)")
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
    XCTAssertEqual(manifest?["width"] as? Int, 1024)
    XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("0/0_0.png").path))
    XCTAssertTrue(ctx.displays.contains { $0.string("image/png") != nil })
    // The explorer now shows the atlas under the points.
    let page = try run("explore").displays.last?.string("text/html") ?? ""
    XCTAssertTrue(page.contains("data:image/png;base64,"))
  }

  func testTrustReportsTrustworthinessAtK() throws {
    let ctx = try run("trust k=10")
    let text = try XCTUnwrap(ctx.displays.last?.string("text/plain"))
    XCTAssertTrue(text.contains("measure (k=10)"))
    let f = try XCTUnwrap(interpreter.session.result(.fidelity, as: FidelityResult.self))
    XCTAssertEqual(f.trustK, 10)
    XCTAssertGreaterThan(f.trustworthiness, 0.5)
    XCTAssertLessThanOrEqual(f.trustworthiness, 1)
  }
}

final class DatasetCommandTests: XCTestCase {
  func testLoadDemoKeepsMetadata() throws {
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    let ctx = RecordingContext()
    _ = try interpreter.execute(code: "load demo limit=50", silent: false, context: ctx)
    let text = try XCTUnwrap(ctx.displays.last?.string("text/plain"))
    XCTAssertTrue(text.contains("50 captions"))
    XCTAssertTrue(text.contains("lexfile"))
  }

  func testLoadCSVWithNamedColumnsAndABadColumn() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vista-h5-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("c.csv").path
    try Data("key,text,kind\nk1,\"a red, round apple\",fruit\nk2,a tall tree,plant\n".utf8).write(to: URL(fileURLWithPath: path))
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    _ = try interpreter.execute(code: "load \(path) caption=text id=key", silent: false, context: RecordingContext())
    let set = try XCTUnwrap(interpreter.session.result(.dataset, as: VistaData.CaptionSet.self))
    XCTAssertEqual(set.ids, ["k1", "k2"])
    XCTAssertEqual(set.texts[0], "a red, round apple")
    XCTAssertThrowsError(try interpreter.execute(code: "load \(path) caption=txt", silent: false, context: RecordingContext())) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "CommandFailed")
      XCTAssertTrue((error as? ExecutionError)?.value.contains("text") ?? false, "\(error)")
    }
    // The failed load left the first dataset in place.
    XCTAssertEqual(interpreter.session.result(.dataset, as: VistaData.CaptionSet.self)?.ids, ["k1", "k2"])
  }
}
