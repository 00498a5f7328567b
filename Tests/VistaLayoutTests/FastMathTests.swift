import XCTest
@testable import VistaLayout

final class FastMathTests: XCTestCase {
  func testPowMatchesLibm() {
    for x: Float in [1e-6, 0.001, 0.1, 0.5, 1, 1.5, 2, 3.7, 10, 100, 12345] {
      for y: Float in [-0.1, 0.79, 0.895, 1.0, 1.3, 1.9] {
        let expected = LayoutMath.powf(x, y)
        XCTAssertEqual(FastMath.pow(x, y), expected, accuracy: expected * 6e-5, "\(x)^\(y)")
      }
    }
  }
}
