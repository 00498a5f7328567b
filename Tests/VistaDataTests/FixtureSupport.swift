import Foundation
import XCTest

/// Locates files in the test bundle's Fixtures folder and gives each test a clean temporary folder.
enum Fixtures {
  static func url(_ relative: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative)
  }

  static func temporaryDirectory(_ label: String = #function) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("vista-data-tests-\(ProcessInfo.processInfo.processIdentifier)-\(label.filter { $0.isLetter })")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }
}

/// Asserts that `body` throws a VistaError whose text contains every fragment.
func assertVistaError<T>(_ body: @autoclosure () throws -> T, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
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
