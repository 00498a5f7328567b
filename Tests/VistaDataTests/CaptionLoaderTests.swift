import Foundation
import VistaTestSupport
import XCTest
@testable import VistaData

final class CaptionLoaderTests: XCTestCase {
  private func parse(_ text: String, _ format: CaptionFormat, _ options: CaptionLoadOptions = CaptionLoadOptions()) throws -> CaptionSet {
    try CaptionLoader.parse(Data(text.utf8), name: "caps.\(format.rawValue)", format: format, options: options)
  }

  func testTSVKeepsIdsAndMetadata() throws {
    let set = try parse("id\tcaption\tcolour\nA\ta red car\tred\r\nB\ta blue sky\tblue\n\n", .tsv)
    XCTAssertEqual(set.ids, ["A", "B"])
    XCTAssertEqual(set.texts, ["a red car", "a blue sky"])
    XCTAssertEqual(set.metadata["colour"], ["red", "blue"])
    XCTAssertEqual(set.source, "caps.tsv")
  }

  func testCSVHandlesRFC4180Quotes() throws {
    let text = "id,text,note\n1,\"a car, parked\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",plain\n3,,empty caption\n"
    let set = try parse(text, .csv)
    XCTAssertEqual(set.texts, ["a car, parked", "two\nlines", ""])
    XCTAssertEqual(set.metadata["note"], ["say \"hi\"", "plain", "empty caption"])
    XCTAssertEqual(set.ids, ["1", "2", "3"])
  }

  func testCSVErrorsNameTheLine() {
    assertVistaError(try parse("id,text\n1,ok\n2,\"never closed\n", .csv), contains: ["caps.csv:3", "never closed"])
    assertVistaError(try parse("id,text\n1,\"x\"y\n", .csv), contains: ["caps.csv:2", "closing quote"])
    assertVistaError(try parse("id,text\n1,ok\n2,too,many\n", .csv), contains: ["caps.csv:3", "expected 2", "found 3"])
  }

  func testWrongColumnNameSuggestsClosest() {
    assertVistaError(try parse("id\tcaptoin\nA\tx\n", .tsv, CaptionLoadOptions(captionColumn: "caption")),
                     contains: ["caps.tsv:1", "no column named \"caption\"", "did you mean \"captoin\""])
    assertVistaError(try parse("name\tbody\nA\tx\n", .tsv), contains: ["which column holds the captions"])
  }

  func testExplicitColumnsAndRowNumberIds() throws {
    let set = try parse("label\tbody\ncat\ta cat\ndog\ta dog\n", .tsv, CaptionLoadOptions(captionColumn: "body"))
    XCTAssertEqual(set.ids, ["1", "2"])
    XCTAssertEqual(set.metadata["label"], ["cat", "dog"])
    let byLabel = try parse("label\tbody\ncat\ta cat\n", .tsv, CaptionLoadOptions(captionColumn: "body", idColumn: "label"))
    XCTAssertEqual(byLabel.ids, ["cat"])
    XCTAssertTrue(byLabel.metadata.isEmpty)
  }

  func testJSONLines() throws {
    let set = try parse("{\"id\": 7, \"caption\": \"a fox\", \"score\": 0.5}\n\n{\"id\": 8, \"caption\": \"a hen\", \"score\": null}\n", .jsonl)
    XCTAssertEqual(set.ids, ["7", "8"])
    XCTAssertEqual(set.texts, ["a fox", "a hen"])
    XCTAssertEqual(set.metadata["score"], ["0.5", ""])
    assertVistaError(try parse("{\"caption\": \"ok\"}\n{\"caption\": \"bad\"\n", .jsonl), contains: ["caps.jsonl:2", "malformed JSON"])
    assertVistaError(try parse("{\"caption\": \"ok\"}\n{\"text\": \"x\"}\n", .jsonl), contains: ["caps.jsonl:2", "missing key \"caption\""])
  }

  func testPlainTextOneCaptionPerLine() throws {
    let set = try parse("first caption\n\n  second caption  \n", .text)
    XCTAssertEqual(set.texts, ["first caption", "second caption"])
    XCTAssertEqual(set.ids, ["1", "3"])
  }

  func testEmptyAndInvalidUTF8() {
    assertVistaError(try parse("  \n\n", .text), contains: ["caps.text:1", "empty"])
    assertVistaError(try parse("id\tcaption\n", .tsv), contains: ["header but no rows"])
    var bytes = Array("id\tcaption\nA\tok\nB\tbad ".utf8)
    let badOffset = bytes.count
    bytes += [0xC3, 0x28, 0x0A]
    assertVistaError(try CaptionLoader.parse(Data(bytes), name: "x.tsv", format: .tsv),
                     contains: ["x.tsv:3", "invalid UTF-8 at byte offset \(badOffset)"])
  }

  func testLoadFromFileGuessesFormat() throws {
    let dir = try Fixtures.temporaryDirectory()
    let url = dir.appendingPathComponent("set.csv")
    try Data("id,caption\nx,\"hello, world\"\n".utf8).write(to: url)
    let set = try CaptionLoader.load(url)
    XCTAssertEqual(set.texts, ["hello, world"])
    XCTAssertEqual(CaptionFormat.guess(fromPath: "a.JSONL"), .jsonl)
    assertVistaError(try CaptionLoader.load(dir.appendingPathComponent("missing.tsv")), contains: ["missing.tsv", "cannot read"])
  }

  func testSelectingKeepsColumnsAligned() throws {
    let set = try parse("id\tcaption\tc\na\t1\tx\nb\t2\ty\nc\t3\tz\n", .tsv)
    let picked = set.selecting([2, 0])
    XCTAssertEqual(picked.ids, ["c", "a"])
    XCTAssertEqual(picked.texts, ["3", "1"])
    XCTAssertEqual(picked.metadata["c"], ["z", "x"])
  }
}
