import XCTest
import VistaCore
import VistaMap
@testable import VistaRender

/// Degenerate maps (one point, identical points, no clusters) must draw and export, not crash.
final class EdgeCaseTests: XCTestCase {
  func testTinyAndDegenerateMapsStillRender() throws {
    let cases: [[SIMD2<Float>]] = [
      [SIMD2(0, 0)],
      [SIMD2(1, 1), SIMD2(1, 1), SIMD2(1, 1), SIMD2(1, 1), SIMD2(1, 1)],
      (0..<7).map { SIMD2(Float($0), 0) },
    ]
    for positions in cases {
      let map = try CaptionMap.build(
        positions: positions, captions: positions.indices.map { "caption \($0)" }, activations: positions.indices.map(Float.init))
      XCTAssertEqual(map.tiles.tiles.reduce(0) { $0 + $1.count }, positions.count)
      let image = try MapPreview.render(map, width: 320).decoded()
      XCTAssertEqual(image.width, 320)
      _ = try ExplorerPage.fragment(map: map)
      var plan = RenderPlanOptions()
      plan.steps = 3
      plan.tilePixels = 64
      plan.window = 16
      plan.stride = 8
      let p = try RenderPlanner.plan(map: map, options: plan)
      XCTAssertEqual(p.schedule.count, 3)
      var atlas = AtlasOptions()
      atlas.width = 512
      _ = try AtlasRenderer(map: map, options: atlas).renderTile(level: 0, x: 0, y: 0)
    }
  }
}
