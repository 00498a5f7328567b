import Foundation
import XCTest

@testable import VistaCore

final class SHA256Tests: XCTestCase {
  /// FIPS 180-4 / NIST example vectors.
  func testKnownVectors() {
    XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    XCTAssertEqual(
      SHA256.hex(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
  }

  func testMillionAs() {
    var hasher = SHA256()
    let chunk = Data(repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(chunk) }
    XCTAssertEqual(hasher.hexDigest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Feeding a message in odd-sized pieces, through every update overload, gives the one-shot digest.
  func testIncrementalUpdatesMatchOneShot() {
    var generator = SeededGenerator(seed: 7)
    let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let expected = SHA256.hex(Data(bytes))
    for split in [0, 1, 55, 56, 63, 64, 65, 127, 999] {
      var hasher = SHA256()
      hasher.update(Array(bytes[0..<split]))
      hasher.update(Data(bytes[split...]))
      XCTAssertEqual(hasher.hexDigest(), expected, "split at \(split)")
    }
    XCTAssertNotEqual(SHA256.hex(Data(bytes.dropLast())), expected)
  }
}
