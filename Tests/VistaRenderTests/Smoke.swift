import XCTest
@testable import VistaRender

final class VistaRenderSmokeTests: XCTestCase {
  func testModuleLinks() { XCTAssertTrue(true) }
}
