import XCTest
@testable import VistaKernel
import VistaData

final class LanguageTests: XCTestCase {
  func testValueForms() {
    XCTAssertEqual(Value.parse("15"), .number(15))
    XCTAssertEqual(Value.parse("-0.25"), .number(-0.25))
    XCTAssertEqual(Value.parse("2%"), .percent(2))
    XCTAssertEqual(Value.parse("0.5%..20%"), .range(.percent(0.5), .percent(20)))
    XCTAssertEqual(Value.parse("5,15,50"), .list([.number(5), .number(15), .number(50)]))
    XCTAssertEqual(Value.parse("16:9"), .ratio(16, 9))
    XCTAssertEqual(Value.parse("32x18"), .size(32, 18))
    XCTAssertEqual(Value.parse("\"a b\""), .string("a b"))
    XCTAssertEqual(Value.parse("vista"), .word("vista"))
    XCTAssertEqual(Value.parse("out/dir.png"), .word("out/dir.png"))
    XCTAssertEqual(Value.parse("1..3"), .range(.number(1), .number(3)))
    XCTAssertEqual(Value.parse("\"x,y\",z"), .list([.string("x,y"), .word("z")]))
  }

  func testCanonicalText() {
    XCTAssertEqual(Value.parse("15.0").description, "15")
    XCTAssertEqual(Value.parse("0.10").description, "0.1")
    XCTAssertEqual(Value.parse("2.50%").description, "2.5%")
    XCTAssertEqual(Value.parse("\"a b\"").description, "\"a b\"")
  }

  func testLogicalLinesJoinContinuationsAndDropComments() throws {
    let lines = try LogicalLine.split("echo a # comment\n\n# only a comment\nlayout umap \\\n  neighbors=5\nversion")
    XCTAssertEqual(lines.map(\.text), ["echo a", "layout umap    neighbors=5", "version"])
    // The option on the continuation keeps its physical position.
    let layout = lines[1]
    let index = layout.text.distance(from: layout.text.startIndex, to: layout.text.range(of: "neighbors")!.lowerBound)
    XCTAssertEqual(layout.position(at: index), SourcePosition(line: 5, column: 3))
  }

  func testHashInsideQuotesIsText() throws {
    let lines = try LogicalLine.split("echo \"a # b\" # real comment")
    XCTAssertEqual(lines.map(\.text), ["echo \"a # b\""])
  }

  func testUnterminatedQuoteNamesItsColumn() {
    XCTAssertThrowsError(try LogicalLine.split("echo ok\necho \"open")) { error in
      let e = error as? CommandError
      XCTAssertEqual(e?.kind, .syntaxError)
      XCTAssertEqual(e?.position, SourcePosition(line: 2, column: 6))
    }
  }

  func testTokens() throws {
    let tokens = try Tokenizer.tokens(of: Array("layout umap neighbors=15 title=\"a b\" --fast \"quoted word\""))
    XCTAssertEqual(tokens.map(\.text), ["layout", "umap", "15", "\"a b\"", "fast", "quoted word"])
    XCTAssertEqual(tokens[2].key, "neighbors")
    XCTAssertEqual(tokens[2].valueStart, 22)
    XCTAssertEqual(tokens[4].kind, .flag)
    XCTAssertEqual(tokens[5].kind, .word(quoted: true))
  }

  func testArithmetic() throws {
    XCTAssertEqual(try ArithmeticExpression.evaluate("6*7"), 42)
    XCTAssertEqual(try ArithmeticExpression.evaluate("2^3^2"), 512)
    XCTAssertEqual(try ArithmeticExpression.evaluate("-2^2"), -4)
    XCTAssertEqual(try ArithmeticExpression.evaluate("(1 + 2) * 3 - 10 % 4"), 7)
    XCTAssertEqual(try ArithmeticExpression.evaluate("1e3 / 8"), 125)
    XCTAssertThrowsError(try ArithmeticExpression.evaluate("1 / 0"))
    XCTAssertThrowsError(try ArithmeticExpression.evaluate("(1 + 2")) { error in
      XCTAssertEqual((error as? ArithmeticExpression.ExpressionError)?.offset, 0)
    }
    XCTAssertTrue(ArithmeticExpression.looksLikeExpression("6*7"))
    XCTAssertTrue(ArithmeticExpression.looksLikeExpression("(2+3)"))
    XCTAssertFalse(ArithmeticExpression.looksLikeExpression("echo 6*7"))
  }

  func testEditDistanceSuggestions() {
    XCTAssertEqual(NameSuggestion.editDistance(Array("kitten"), Array("sitting")), 3)
    XCTAssertEqual(NameSuggestion.closest(to: "laod", in: ["load", "layout", "latents"]), "load")
    XCTAssertEqual(NameSuggestion.closest(to: "neighbours", in: ["neighbors", "min_dist"]), "neighbors")
    XCTAssertNil(NameSuggestion.closest(to: "zzzzzz", in: ["load", "layout"]))
  }

  func testOptionKindsAcceptAndReject() {
    XCTAssertEqual(OptionKind.countOrPercent.accept(.percent(2)), .percent(2))
    XCTAssertEqual(OptionKind.countOrPercent.accept(.number(4000)), .number(4000))
    XCTAssertNil(OptionKind.countOrPercent.accept(.number(0.5)))
    XCTAssertNil(OptionKind.integer(min: 2).accept(.number(1)))
    XCTAssertEqual(OptionKind.choice(["max", "mean"]).accept(.word("MEAN")), .word("mean"))
    XCTAssertEqual(OptionKind.toggle.accept(.word("yes")), .word("on"))
    XCTAssertNil(OptionKind.percentRange.accept(.range(.percent(20), .percent(1))))
    XCTAssertEqual(OptionKind.ratio.accept(.number(2)), .ratio(2, 1))
    XCTAssertEqual(OptionKind.stage.accept(.word("layout")), .word("layout"))
    XCTAssertNil(OptionKind.stage.accept(.word("layuot")))
  }
}
