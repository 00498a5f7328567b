import XCTest
@testable import JupyterKernel

final class WireFormatTests: XCTestCase {
  func testHMACMatchesRFC4231Case2() throws {
    let signer = try MessageSigner(key: Array("Jefe".utf8))
    let signature = signer.sign([Array("what do ya ".utf8), Array("want for nothing?".utf8)])
    XCTAssertEqual(String(decoding: signature, as: UTF8.self),
                   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  func testUnknownSchemeIsRejected() {
    XCTAssertThrowsError(try MessageSigner(key: [1], scheme: "hmac-sha1"))
  }

  private func codec(key: String = "secret") throws -> WireCodec {
    WireCodec(signer: try MessageSigner(key: Array(key.utf8)), session: "S", username: "u")
  }

  func testEncodeDecodeKeepsRawIdentitiesAndParent() throws {
    let c = try codec()
    let identity: [UInt8] = [0x00, 0xFF, 0x80, 0x41]  // not UTF-8
    let parent = Array(#"{"msg_id":"p1","msg_type":"execute_request"}"#.utf8)
    let frames = c.encode(msgType: "execute_reply", content: ["status": "ok"], parentHeader: parent,
                          identities: [identity])
    XCTAssertEqual(frames[0], identity)
    XCTAssertEqual(frames[1], Array("<IDS|MSG>".utf8))
    XCTAssertEqual(frames[4], parent, "the parent header is the request's bytes, verbatim")
    let message = try c.decode(frames).get()
    XCTAssertEqual(message.identities, [identity])
    XCTAssertEqual(message.msgType, "execute_reply")
    XCTAssertEqual(message.content, ["status": "ok"])
    XCTAssertEqual(message.header["version"], "5.5")
    XCTAssertEqual(message.header["session"], "S")
  }

  func testFreshMessageIDsAndISODates() throws {
    let c = try codec()
    var ids = Set<String>()
    for _ in 0..<1000 {
      let header = try JSONValue.parse(c.header(msgType: "status"))
      let id = try XCTUnwrap(header["msg_id"]?.stringValue)
      XCTAssertTrue(ids.insert(id).inserted)
      XCTAssertEqual(id.count, 36)
      let date = try XCTUnwrap(header["date"]?.stringValue)
      XCTAssertTrue(date.hasSuffix("Z") && date.count == 27, date)
    }
  }

  func testRejections() throws {
    let c = try codec()
    var frames = c.encode(msgType: "kernel_info_request", content: [:], parentHeader: nil, identities: [[1]])
    XCTAssertNoThrow(try c.decode(frames).get())

    var tampered = frames
    tampered[5] = Array(#"{"evil":1}"#.utf8)
    XCTAssertEqual(c.decode(tampered).failureValue, .badSignature)

    var unsigned = frames
    unsigned[2] = []
    XCTAssertEqual(c.decode(unsigned).failureValue, .badSignature)

    var badHex = frames
    badHex[2] = Array("zz".utf8)
    XCTAssertEqual(c.decode(badHex).failureValue, .badSignature)

    XCTAssertEqual(c.decode(Array(frames.dropFirst(2))).failureValue, .missingDelimiter)
    XCTAssertEqual(c.decode(Array(frames.prefix(4))).failureValue, .truncated(frames: 2))

    // A correctly signed message with broken JSON is refused after the signature check.
    let broken: [[UInt8]] = [Array("{oops".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
    frames = [wireDelimiter, c.signer.sign(broken)] + broken
    guard case .invalidJSON(frame: "header", _)? = c.decode(frames).failureValue else {
      return XCTFail("expected invalid JSON")
    }
  }

  func testEmptyKeyDisablesSigning() throws {
    let c = try codec(key: "")
    let frames = c.encode(msgType: "status", content: [:], parentHeader: nil, identities: [])
    XCTAssertEqual(frames[1], [])
    XCTAssertNoThrow(try c.decode(frames).get())
  }

  func testClockFormatsUTCWithMicroseconds() {
    XCTAssertEqual(MessageClock.format(seconds: 0, nanoseconds: 0), "1970-01-01T00:00:00.000000Z")
    XCTAssertEqual(MessageClock.format(seconds: 1_700_000_000, nanoseconds: 123_456_789), "2023-11-14T22:13:20.123456Z")
    XCTAssertEqual(MessageClock.format(seconds: 951_782_400, nanoseconds: 999_999_999), "2000-02-29T00:00:00.999999Z")
  }
}

extension Result {
  var failureValue: Failure? {
    if case .failure(let f) = self { return f }
    return nil
  }
}
