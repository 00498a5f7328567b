import XCTest
@testable import VistaMap

final class VistaMapSmokeTests: XCTestCase {
  func testModuleLinks() { XCTAssertTrue(true) }
}
