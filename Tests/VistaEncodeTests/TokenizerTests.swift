import XCTest
@testable import VistaEncode

final class TokenizerTests: XCTestCase {
  private let tokenizer = try! WordPieceTokenizer(
    tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "cafe", ",", "!", "中", "x", "##x"], maxLength: 6)

  func testBasicNormalisation() {
    let words = tokenizer.basicTokens("Café,\u{0007}un中x!").map { String(String.UnicodeScalarView($0)) }
    XCTAssertEqual(words, ["cafe", ",", "un", "中", "x", "!"])
  }

  func testWordPieceAndTruncation() {
    XCTAssertEqual(tokenizer.encode("unaffable"), [2, 4, 5, 6, 3])
    XCTAssertEqual(tokenizer.encode("unknownword"), [2, 1, 3])
    XCTAssertEqual(tokenizer.encode(""), [2, 3])
    // maxLength 6 leaves room for 4 pieces.
    XCTAssertEqual(tokenizer.encode("x x x x x x"), [2, 11, 11, 11, 11, 3])
    XCTAssertEqual(tokenizer.encode(String(repeating: "x", count: 101)), [2, 1, 3], "words over 100 characters are [UNK]")
    XCTAssertEqual(tokenizer.encode("xxx"), [2, 11, 12, 12, 3])
  }

  func testMissingSpecialTokenIsAnError() {
    XCTAssertThrowsError(try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]"]))
  }
}
