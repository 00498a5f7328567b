import XCTest
@testable import VistaData

final class VistaDataSmokeTests: XCTestCase {
  func testModuleLinks() { XCTAssertTrue(true) }
}
