import XCTest
@testable import VistaLayout

final class VistaLayoutSmokeTests: XCTestCase {
  func testModuleLinks() { XCTAssertTrue(true) }
}
