import XCTest
import VistaCore
import VistaMap
@testable import VistaRender

final class PreviewTests: XCTestCase {
  func testPNGRoundTripsThroughCairo() throws {
    let canvas = try CairoCanvas(width: 40, height: 20, background: RGBA(hex: 0xFF0000))
    canvas.fillRect(20, 0, 20, 20, RGBA(hex: 0x0000FF))
    let image = try canvas.png().decoded()
    XCTAssertEqual(image.width, 40)
    XCTAssertEqual(image.height, 20)
    XCTAssertEqual(image.pixel(5, 5), RGBA(1, 0, 0, 1))
    XCTAssertEqual(image.pixel(30, 5), RGBA(0, 0, 1, 1))
    XCTAssertThrowsError(try DecodedImage(png: [1, 2, 3]))
    XCTAssertThrowsError(try CairoCanvas(width: 0, height: 10))
  }

  func testPreviewShowsRegionsPointsAndLabelsWhereTheyBelong() throws {
    let map = RenderFixtures.map
    var style = MapStyle()
    style.title = "preview test"
    let png = try MapPreview.render(map, width: 1200, style: style)
    RenderFixtures.save(png.data, "preview.png")
    let image = try png.decoded()
    XCTAssertEqual(image.width, 1200)
    XCTAssertEqual(image.height, 675)
    XCTAssertGreaterThan(image.distinctColorCount, 200, "not blank")
    // Corners are paper: the 5 % margin keeps them clear of data.
    XCTAssertEqual(image.count(near: style.paper, tolerance: 0.02, in: (0, image.height - 20, 20, 20)), 400)
    // The highest-activation point is drawn in the top colour of viridis (yellow) at its position.
    let top = map.activations.indices.max { map.activations[$0] < map.activations[$1] }!
    let p = map.layout.positions[top]
    let yellow = Colormap.viridis.color(1)
    let near = image.count(near: yellow, tolerance: 0.12, in: (Int(p.x * 1200) - 4, Int(p.y * 675) - 4, 9, 9))
    XCTAssertGreaterThan(near, 3, "the top point shows in viridis yellow")
    XCTAssertLessThan(image.count(near: yellow, tolerance: 0.12), 2000, "yellow is rare: only the top activations")
    // Region tint at a region's peak: not paper. Text ink of some region label present (dark pixels).
    let peak = map.regions[0].peak
    let px = image.pixel(Int(peak.x * 1200) + 30, Int(peak.y * 675))
    XCTAssertNotEqual(px, style.paper)
    XCTAssertGreaterThan(image.count(near: RGBA(hex: 0x23262D), tolerance: 0.08, in: (0, 0, 400, 60)), 30, "the title is drawn top left")
  }

  func testPreviewLabelsDoNotOverlapAndIncludeEveryRegion() throws {
    let map = RenderFixtures.map
    let canvas = try CairoCanvas(width: 1200, height: 675)
    let placed = MapPainter(map: map, style: MapStyle()).drawLabels(on: canvas, rect: SIMD4(0, 0, 1200, 675))
    // The placer keeps its boxes apart by its own width estimate (TextMetrics); what is drawn is
    // Cairo's text. Each line as Cairo measures it must fit its box (2 % slack), and the boxes,
    // checked here by plain geometry, must not intersect.
    for p in placed {
      canvas.font(size: Double(p.fontSize), bold: p.bold)
      for line in p.lines {
        XCTAssertLessThanOrEqual(canvas.textWidth(line), Double(p.box.z) * 1.02 + 1, "'\(line)' fits its box")
      }
    }
    for a in placed.indices {
      for b in placed.indices where a < b {
        let p = placed[a].box, q = placed[b].box
        let apart = p.x + p.z <= q.x || q.x + q.z <= p.x || p.y + p.w <= q.y || q.y + q.w <= p.y
        XCTAssertTrue(apart, "labels \(a) and \(b) overlap")
      }
    }
    XCTAssertEqual(Set(placed.filter { $0.label.level == 0 }.map(\.label.cluster)), Set(0..<map.clusters.coarseCount), "every region is named")
  }

  func testDarkPreviewIsDark() throws {
    var style = MapStyle()
    style.dark = true
    let image = try MapPreview.render(RenderFixtures.map, width: 600, style: style).decoded()
    RenderFixtures.save(try MapPreview.render(RenderFixtures.map, width: 1200, style: style).data, "preview-dark.png")
    XCTAssertGreaterThan(image.count(near: RGBA(hex: 0x15171C), tolerance: 0.02), image.width * image.height / 3)
  }

  func testPreviewByCategoryUsesThePaletteAndRejectsAWrongColumn() throws {
    let map = RenderFixtures.map
    var style = MapStyle()
    style.coloring = .category(name: "theme", values: RenderFixtures.sample.truth.map { "theme \($0)" })
    style.regions = false
    let image = try MapPreview.render(map, width: 800, style: style).decoded()
    for k in 0..<3 {
      XCTAssertGreaterThan(image.count(near: Palette.category(k), tolerance: 0.06), 20, "category colour \(k) present")
    }
    style.coloring = .category(name: "theme", values: ["x"])
    XCTAssertThrowsError(try MapPreview.render(map, style: style)) { XCTAssertEqual(($0 as? VistaError)?.location, "column theme") }
  }

  func testContinuousColumnColoursPointsAndNamesTheBar() throws {
    let map = RenderFixtures.map
    var style = MapStyle()
    style.regions = false
    style.labels = false
    // A per-point fidelity score that grows left to right.
    style.coloring = .continuous(name: "neighbour agreement", values: map.layout.positions.map(\.x), colormap: .magma)
    let image = try MapPreview.render(map, width: 800, style: style).decoded()
    let light = Colormap.magma.color(1)
    XCTAssertGreaterThan(image.count(near: light, tolerance: 0.1, in: (400, 0, 400, 450)), image.count(near: light, tolerance: 0.1, in: (0, 0, 400, 450)))
    style.coloring = .continuous(name: "x", values: [1, 2], colormap: .magma)
    XCTAssertThrowsError(try MapPreview.render(map, style: style)) { XCTAssertEqual(($0 as? VistaError)?.location, "column x") }
  }

  func testScatterPreviewColoursByValue() throws {
    let positions = (0..<400).map { SIMD2<Float>(Float($0 % 20), Float($0 / 20)) }
    let values = positions.map { $0.x }  // activation grows left to right
    let image = try ScatterPreview.render(positions: positions, values: values, width: 640, aspect: 2, colormap: .magma).decoded()
    XCTAssertEqual(image.height, 320)
    let dark = Colormap.magma.color(0), light = Colormap.magma.color(1)
    let leftHalf = (0, 0, 320, 320), rightHalf = (320, 0, 320, 320)
    XCTAssertGreaterThan(image.count(near: dark, tolerance: 0.1, in: leftHalf), image.count(near: dark, tolerance: 0.1, in: rightHalf))
    XCTAssertGreaterThan(image.count(near: light, tolerance: 0.1, in: rightHalf), image.count(near: light, tolerance: 0.1, in: leftHalf))
    XCTAssertThrowsError(try ScatterPreview.render(positions: positions, values: [1]))
  }

  func testColormapTablesAreInterpolated() {
    XCTAssertEqual(Colormap.viridis.color(0).css, "#440154")
    XCTAssertEqual(Colormap.viridis.color(1).css, "#fde725")
    XCTAssertEqual(Colormap.magma.color(0.5).css, "#b73779")
    XCTAssertEqual(RGBA.oklch(1, 0, 0).css, "#ffffff")
  }
}
