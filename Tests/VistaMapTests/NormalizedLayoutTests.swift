import XCTest
import VistaCore
@testable import VistaMap

final class NormalizedLayoutTests: XCTestCase {
  func testOutliersArePinnedAndTheBodyFillsTheCanvas() throws {
    var raw = (0..<200).map { SIMD2(Float($0 % 20), Float($0 / 20)) }
    raw.append(SIMD2(1000, -1000))  // one far outlier
    let layout = try NormalizedLayout(raw: raw, aspect: 2, margin: 0.05)
    XCTAssertEqual(layout.clippedCount, 1, "only the outlier lies beyond the 1st/99th percentiles")
    for p in layout.positions {
      XCTAssertTrue((0...1).contains(p.x) && (0...1).contains(p.y), "\(p) is off the canvas")
    }
    // Without clipping the body would be squashed into a corner; with it, it spans most of the height.
    let ys = layout.positions.dropLast().map(\.y)
    XCTAssertGreaterThan(ys.max()! - ys.min()!, 0.85)
    // y is flipped: larger raw y is higher on the map (smaller canvas y).
    XCTAssertLessThan(layout.positions[190].y, layout.positions[0].y)
  }

  func testUniformScaleKeepsDistancesProportional() throws {
    let raw: [SIMD2<Float>] = [SIMD2(0, 0), SIMD2(4, 0), SIMD2(0, 1), SIMD2(4, 1)]
    let layout = try NormalizedLayout(raw: raw, aspect: 1, clipPercentiles: (0, 100), margin: 0)
    let w = (layout.positions[1].x - layout.positions[0].x) * layout.aspect
    let h = layout.positions[0].y - layout.positions[2].y
    XCTAssertEqual(w / h, 4, accuracy: 1e-4, "a 4:1 layout stays 4:1 on the canvas")
    let stretched = try NormalizedLayout(raw: raw, aspect: 1, clipPercentiles: (0, 100), margin: 0, preserveAspect: false)
    XCTAssertEqual(stretched.positions[3].x - stretched.positions[0].x, 1, accuracy: 1e-5)
    XCTAssertEqual(stretched.positions[0].y - stretched.positions[3].y, 1, accuracy: 1e-5)
  }

  func testBadInputNamesTheProblem() {
    XCTAssertThrowsError(try NormalizedLayout(raw: [], aspect: 1)) { XCTAssertEqual(($0 as? VistaError)?.location, "layout") }
    XCTAssertThrowsError(try NormalizedLayout(raw: [SIMD2(0, .nan)], aspect: 1)) {
      XCTAssertEqual(($0 as? VistaError)?.location, "layout row 0")
    }
    XCTAssertThrowsError(try NormalizedLayout(raw: [SIMD2(0, 0)], aspect: 0)) {
      XCTAssertEqual(($0 as? VistaError)?.location, "option aspect")
    }
    XCTAssertThrowsError(try NormalizedLayout(matrix: Matrix(rows: 3, cols: 3), aspect: 1))
  }

  func testGridSizeParsing() throws {
    XCTAssertEqual(try GridSize(parsing: "32x18"), GridSize(columns: 32, rows: 18))
    XCTAssertEqual(try GridSize(parsing: "4X3").aspect, 4.0 / 3.0, accuracy: 1e-6)
    for bad in ["32", "0x4", "axb", "3x-1"] {
      XCTAssertThrowsError(try GridSize(parsing: bad)) { XCTAssertEqual(($0 as? VistaError)?.location, "option tiles") }
    }
  }
}
