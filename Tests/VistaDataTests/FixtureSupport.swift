import Foundation
import VistaTestSupport

/// Locates files in the test bundle's Fixtures folder and gives each test a clean temporary folder.
enum Fixtures {
  static func url(_ relative: String) -> URL { fixtureURL(relative, in: .module) }

  static func temporaryDirectory(_ label: String = #function) throws -> URL {
    try makeTemporaryDirectory(prefix: "vista-data-tests", label: label)
  }
}
