import XCTest
import VistaCore
import VistaMap
@testable import VistaRender

final class PlotTests: XCTestCase {
  func testGainCurveMarksItsMaximum() throws {
    let ks = stride(from: 0.005, through: 0.2, by: 0.005).map { $0 }
    let gain = ks.map { 0.13 - 30 * ($0 - 0.09) * ($0 - 0.09) }
    let other = ks.map { 0.08 - 20 * ($0 - 0.05) * ($0 - 0.05) }
    let png = try GainCurvePlot.render(curves: [.init(name: "vista", x: ks, y: gain), .init(name: "umap-learn", x: ks, y: other)])
    RenderFixtures.save(png.data, "gain-curve.png")
    let image = try png.decoded()
    XCTAssertEqual(image.width, 900)
    let marker = RGBA(hex: 0xD1495B)
    // The marker sits at k = 9 %: x range is niceRange(0.005, 0.2) = 0...0.2 over the plot's 802 px.
    let x = Int(74 + 0.09 / 0.2 * 802)
    XCTAssertGreaterThan(image.count(near: marker, tolerance: 0.1, in: (x - 10, 40, 21, 200)), 20, "maximum marked at 9 %")
    XCTAssertGreaterThan(image.count(near: RGBA(hex: 0x2A788E), tolerance: 0.1), 300, "first curve drawn")
    XCTAssertGreaterThan(image.count(near: RGBA(hex: 0xD55E00), tolerance: 0.1), 100, "second curve drawn")
    XCTAssertThrowsError(try GainCurvePlot.render(curves: [.init(name: "bad", x: [0.1], y: [])]))
    XCTAssertThrowsError(try GainCurvePlot.render(curves: [.init(name: "nan", x: [0.1], y: [.nan])]))
  }

  func testContactSheetLaysOutOneLabelledCellPerMap() throws {
    let map = RenderFixtures.map
    let items = (0..<5).map { ContactSheet.Item(map: map, label: "cell \($0)") }
    let png = try ContactSheet.render(items, columns: 3, cellWidth: 240, title: "sweep")
    RenderFixtures.save(png.data, "contact-sheet.png")
    let image = try png.decoded()
    XCTAssertEqual(image.width, 3 * 250 + 10)
    let cellH = 240.0 / Double(map.layout.aspect)
    XCTAssertEqual(image.height, Int(40 + 2 * (cellH + 26 + 10) + 10))
    // The sixth slot (row 2, column 3) is empty background; the fifth holds a map.
    let bg = RGBA(hex: 0xEFECE5)
    let slot6 = (10 + 2 * 250, Int(40 + 10 + cellH + 36), 240, Int(cellH))
    let slot5 = (10 + 1 * 250, Int(40 + 10 + cellH + 36), 240, Int(cellH))
    XCTAssertEqual(image.count(near: bg, tolerance: 0.02, in: slot6), 240 * Int(cellH))
    XCTAssertLessThan(image.count(near: bg, tolerance: 0.02, in: slot5), 240 * Int(cellH) / 20, "the fifth cell is covered by its map")
    XCTAssertThrowsError(try ContactSheet.render([]))
  }

  func testPlanPreviewDrawsTheStepsCaptions() throws {
    let map = RenderFixtures.map
    var o = RenderPlanOptions()
    o.steps = 8
    o.tilePixels = 256
    o.window = 64
    o.stride = 32
    let plan = try RenderPlanner.plan(map: map, options: o)
    let png = try PlanPreview.render(plan: plan, map: map, step: 3, width: 1200)
    RenderFixtures.save(png.data, "plan-preview.png")
    let image = try png.decoded()
    XCTAssertEqual(image.width, 1200)
    XCTAssertEqual(image.height, 675)
    XCTAssertGreaterThan(image.distinctColorCount, 100)
    XCTAssertThrowsError(try PlanPreview.render(plan: plan, map: map, step: 8)) { XCTAssertEqual(($0 as? VistaError)?.location, "option step") }
    // Different steps use different captions, so the two drawings differ.
    let other = try PlanPreview.render(plan: plan, map: map, step: 4, width: 1200)
    XCTAssertNotEqual(png.data, other.data)
  }
}
