import XCTest
@testable import JupyterKernel

final class JSONValueTests: XCTestCase {
  func testRoundTripOfNestedValues() throws {
    let value: JSONValue = [
      "s": "quote \" backslash \\ newline \n tab \t bell \u{7} é 🗺", "i": -42, "big": .int(Int.max),
      "d": 0.1, "e": 1.5e-7, "t": true, "f": false, "n": nil, "a": [1, "two", [3.5]], "o": ["k": [:]],
    ]
    let bytes = value.encoded()
    XCTAssertEqual(try JSONValue.parse(bytes), value)
  }

  func testEscapesAreStrictJSON() {
    XCTAssertEqual(JSONValue.string("a\"b\\c\n\u{1}").jsonString, #""a\"b\\c\n\u0001""#)
    XCTAssertEqual(JSONValue.string("é").jsonString, "\"é\"")
  }

  func testNonFiniteNumbersBecomeNull() {
    XCTAssertEqual(JSONValue.double(.nan).jsonString, "null")
    XCTAssertEqual(JSONValue.double(.infinity).jsonString, "null")
    XCTAssertEqual(JSONValue.array([.double(-.infinity), 1.0]).jsonString, "[null,1.0]")
  }

  func testNumbersParseAsIntOrDouble() throws {
    XCTAssertEqual(try JSONValue.parse("[0, -7, 3.25, 1e3, 12345678901234]"),
                   [0, -7, 3.25, .double(1000), .int(12345678901234)])
    XCTAssertThrowsError(try JSONValue.parse("1e400"), "out of range must not parse")
  }

  func testUnicodeEscapesIncludingSurrogatePairs() throws {
    XCTAssertEqual(try JSONValue.parse(#""\u00e9\ud83d\uddfa\/""#), .string("é🗺/"))
  }

  func testInvalidDocumentsAreRejectedWithOffset() {
    for bad in ["", "{", "[1,]", "{\"a\" 1}", "NaN", "[Infinity]", "\"\\ud800\"", "01", "1.", "tru", "{} x",
                "\"\u{1}\"", "{\"a\":1,}"] {
      XCTAssertThrowsError(try JSONValue.parse(bad), "accepted \(bad)")
    }
    XCTAssertThrowsError(try JSONValue.parse([0x22, 0xFF, 0x22])) { error in
      XCTAssertEqual((error as? JSONParseError)?.offset, 1)
    }
  }

  func testDeepNestingIsRefusedNotCrashing() {
    let deep = String(repeating: "[", count: 100_000)
    XCTAssertThrowsError(try JSONValue.parse(deep))
  }

  func testAccessors() throws {
    let v = try JSONValue.parse(#"{"a": {"b": [1, 2.0, "x", true]}}"#)
    XCTAssertEqual(v["a"]?["b"]?.arrayValue?.count, 4)
    XCTAssertEqual(v["a"]?["b"]?.arrayValue?[1].intValue, 2)
    XCTAssertEqual(v["a"]?["b"]?.arrayValue?[2].stringValue, "x")
    XCTAssertEqual(v["a"]?["b"]?.arrayValue?[3].boolValue, true)
    XCTAssertNil(v["missing"])
  }
}
