import XCTest
@testable import VistaKernel

final class VistaKernelSmokeTests: XCTestCase {
  func testModuleLinks() { XCTAssertTrue(true) }
}
