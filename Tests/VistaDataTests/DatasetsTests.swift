import Foundation
import VistaTestSupport
import XCTest
@testable import VistaData

final class DatasetsTests: XCTestCase {
  func testDemoIsTheImageNet21kDefinitions() throws {
    let demo = try Datasets.demo()
    XCTAssertEqual(demo.count, 21_844)
    XCTAssertEqual(demo.source, "demo")
    XCTAssertEqual(Set(demo.ids).count, demo.count, "synset ids are unique")
    let coat = try XCTUnwrap(demo.ids.firstIndex(of: "n02885233"))
    XCTAssertEqual(demo.texts[coat], "a short coat that hangs loosely from the shoulders")
    XCTAssertEqual(demo.metadata["lexfile"]?[coat], "noun.artifact")
    XCTAssertEqual(demo.metadata["lemma"]?[coat], "box coat")
    XCTAssertFalse(demo.texts.contains(where: \.isEmpty))
    XCTAssertGreaterThan(Set(demo.metadata["lexfile"]!).count, 20)
  }

  func testWordNetGlossesAndExamples() throws {
    let root = "/usr/share/wordnet"
    guard FileManager.default.fileExists(atPath: "\(root)/data.noun") else {
      throw XCTSkip("wordnet-base is not installed")
    }
    let set = try Datasets.wordnet(root: root)
    let kinds = set.metadata["kind"]!
    let glosses = kinds.filter { $0 == "gloss" }.count
    XCTAssertEqual(glosses, 117_659)
    XCTAssertGreaterThan(set.count, 150_000)
    let worm = try XCTUnwrap(set.texts.firstIndex { $0.hasPrefix("terrestrial worm that burrows into and helps aerate soil") })
    XCTAssertEqual(set.metadata["lexfile"]![worm], "noun.animal")
    XCTAssertEqual(set.metadata["pos"]![worm], "noun")
    XCTAssertFalse(set.texts.contains { $0.contains("; \"") || $0.contains(": \"") }, "quoted examples are split off the glosses")
    let examples = set.texts.indices.filter { kinds[$0] == "example" }
    XCTAssertGreaterThan(examples.count, 40_000)
    XCTAssertTrue(set.ids[examples[0]].contains(".ex"))
  }

  func testMissingWordNetSaysHowToInstall() throws {
    let dir = try Fixtures.temporaryDirectory()
    assertVistaError(try Datasets.wordnet(root: dir.path), contains: ["apt-get install wordnet-base", "data.noun"])
  }

  func testGlossSplitting() {
    let (gloss, examples) = WordNetReader.splitGloss(#" a unit of length; "the room was 10 feet wide"; "short""#)
    XCTAssertEqual(gloss, "a unit of length")
    XCTAssertEqual(examples, ["the room was 10 feet wide", "short"])
    let colon = WordNetReader.splitGloss(#" the act of putting one thing in the place of another: "he sent Smith in for Jones"  "#)
    XCTAssertEqual(colon.0, "the act of putting one thing in the place of another")
    XCTAssertEqual(colon.1, ["he sent Smith in for Jones"])
  }
}
