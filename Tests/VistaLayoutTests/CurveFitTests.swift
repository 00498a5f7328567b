import XCTest
@testable import VistaLayout

final class CurveFitTests: XCTestCase {
  /// umap-learn's find_ab_params values (vista-method §2.7, spread = 1).
  func testMatchesUmapLearnTable() throws {
    let table: [(Double, Double, Double)] = [
      (0.0, 1.93281, 0.79049), (0.001, 1.92907, 0.79150), (0.01, 1.89561, 0.80064), (0.05, 1.75022, 0.84206),
      (0.1, 1.57694, 0.89506), (0.25, 1.12144, 1.05750), (0.5, 0.58303, 1.33417), (0.99, 0.11931, 1.91639),
    ]
    for (minDist, a, b) in table {
      let fit = try CurveFit.abParameters(spread: 1, minDist: minDist)
      XCTAssertEqual(fit.a, a, accuracy: 1e-3, "a at min_dist \(minDist)")
      XCTAssertEqual(fit.b, b, accuracy: 1e-3, "b at min_dist \(minDist)")
    }
  }

  func testRejectsMinDistAboveSpread() {
    XCTAssertThrowsError(try CurveFit.abParameters(spread: 1, minDist: 1.5))
    XCTAssertThrowsError(try CurveFit.abParameters(spread: 0, minDist: 0))
  }
}
