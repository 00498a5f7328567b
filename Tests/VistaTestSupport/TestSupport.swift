import Foundation
import XCTest

/// Helpers shared by the test targets that read fixture files and check error messages.

/// A file in the `Fixtures` folder of a test target's resource bundle (pass that target's
/// `Bundle.module`, which only the target itself can name).
public func fixtureURL(_ relative: String, in bundle: Bundle) -> URL {
  bundle.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative)
}

/// A fresh, empty folder for one test: `prefix-PID-label`, removed first if a run left it.
public func makeTemporaryDirectory(prefix: String, label: String) throws -> URL {
  let dir = FileManager.default.temporaryDirectory
    .appendingPathComponent("\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(label.filter { $0.isLetter })")
  try? FileManager.default.removeItem(at: dir)
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir
}

/// Asserts that `body` throws an error whose text contains every fragment.
public func assertVistaError<T>(_ body: @autoclosure () throws -> T, contains fragments: [String],
                                file: StaticString = #filePath, line: UInt = #line) {
  do {
    _ = try body()
    XCTFail("expected an error containing \(fragments)", file: file, line: line)
  } catch {
    let text = "\(error)"
    for f in fragments where !text.contains(f) {
      XCTFail("error \"\(text)\" lacks \"\(f)\"", file: file, line: line)
    }
  }
}
