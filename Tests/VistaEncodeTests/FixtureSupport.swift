import Foundation
import VistaCore
import VistaTestSupport
import XCTest
@testable import VistaEncode

/// Fixture files and the MiniLM model shared by the encoder tests.
enum Fixtures {
  static func url(_ relative: String) -> URL { fixtureURL(relative, in: .module) }

  static func temporaryDirectory(_ label: String = #function) throws -> URL {
    try makeTemporaryDirectory(prefix: "vista-encode-tests", label: label)
  }

  /// The MiniLM model, loaded once. CI runs scripts/fetch-minilm.sh first, so a missing model FAILS the
  /// test (with the fix in the message) unless VISTA_ALLOW_NO_MODEL=1, which turns it into a skip.
  static func miniLM() throws -> MiniLM {
    if let model = cache.model { return model }
    do {
      let model = try MiniLM.load()
      cache.model = model
      return model
    } catch {
      if ProcessInfo.processInfo.environment["VISTA_ALLOW_NO_MODEL"] == "1" { throw XCTSkip("\(error)") }
      throw error
    }
  }

  final class Cache: @unchecked Sendable { var model: MiniLM? }
  static let cache = Cache()
}

func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
  var dot = 0.0, na = 0.0, nb = 0.0
  for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
  return dot / max((na * nb).squareRoot(), 1e-30)
}
