import Foundation
import XCTest
@testable import VistaLayout

final class KernelTableTests: XCTestCase {
  func testTableMatchesTheAttractionFormula() {
    let a = 1.57694, b = 0.89506
    let table = KernelTable(a: a, b: b)
    table.withLookup { kernel in
      var x: Double = 1e-9
      while x < 1e9 {
        let q = 1 / (1 + a * Foundation.pow(x, b))
        let attraction = a * Foundation.pow(x, b - 1) * q
        XCTAssertEqual(Double(kernel.attraction(Float(x))), attraction, accuracy: attraction * 3e-5, "attraction(\(x))")
        x *= 1.37
      }
    }
  }
}
