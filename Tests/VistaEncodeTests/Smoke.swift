import XCTest
@testable import VistaEncode

final class VistaEncodeSmokeTests: XCTestCase {
  func testModuleLinks() { XCTAssertTrue(true) }
}
