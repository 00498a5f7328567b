import XCTest
@testable import VistaMap

final class LabelTests: XCTestCase {
  func testClassTFIDFPicksEachClusterDistinctiveWords() {
    let docs = [
      "a red apple in the orchard", "apple harvest in the orchard", "the orchard apple tree",
      "a violin on stage", "violin concert at night", "a violin and a piano concert",
      "the red sky over the sea", "red sunset on the sea",
    ]
    let classes = [0, 0, 0, 1, 1, 1, 2, 2]
    let terms = ClassTFIDF.topTerms(documents: docs, classes: classes, classCount: 3, termsPerClass: 2, bigrams: false)
    XCTAssertEqual(Set(terms[0]), ["apple", "orchard"])
    XCTAssertEqual(terms[1].first, "violin")
    XCTAssertTrue(terms[2].contains("sea"))
    XCTAssertFalse(terms.joined().contains("the"), "stop words never become labels")
  }

  func testBigramsOnlyJoinAdjacentWords() {
    XCTAssertEqual(ClassTFIDF.tokenRuns("A giant robot with a metal arm, neon city"), [["giant", "robot"], ["metal", "arm"], ["neon", "city"]])
    let docs = ["ice cream cone", "melting ice cream", "ice cream and berries", "a dog in a park", "dog park at noon"]
    let terms = ClassTFIDF.topTerms(documents: docs, classes: [0, 0, 0, 1, 1], classCount: 2, termsPerClass: 2)
    XCTAssertEqual(terms[0].first, "ice cream", "a frequent adjacent pair wins over its words")
    XCTAssertFalse(terms[0].contains("ice"), "a word inside a chosen bigram is not repeated")
  }

  func testPlacedLabelsNeverOverlapAndCoarseLabelsWin() {
    // Twenty labels crowded around the centre: half coarse, half fine, fine ones bigger priority.
    var labels: [MapLabel] = []
    for i in 0..<20 {
      let a = Float(i) * 0.7
      labels.append(MapLabel(cluster: i, level: i % 2, text: "label number \(i) words", anchor: SIMD2(0.5 + 0.05 * cosf(a), 0.5 + 0.05 * sinf(a)), priority: Float(i % 2 == 1 ? 1000 : i)))
    }
    let placed = LabelPlacer.place(labels, width: 800, height: 450)
    XCTAssertFalse(placed.isEmpty)
    for a in placed.indices {
      for b in placed.indices where a < b {
        XCTAssertFalse(LabelPlacer.overlaps(placed[a].box, placed[b].box), "\(placed[a].label.text) overlaps \(placed[b].label.text)")
      }
      let box = placed[a].box
      XCTAssertTrue(box.x >= 0 && box.y >= 0 && box.x + box.z <= 800 && box.y + box.w <= 450)
    }
    let coarsePlaced = placed.filter { $0.label.level == 0 }.count
    let finePlaced = placed.filter { $0.label.level == 1 }.count
    XCTAssertGreaterThan(coarsePlaced, finePlaced, "coarse labels win the crowded centre despite lower priority")
    // A fine label is dropped only because it would collide: placed alone it fits.
    for dropped in labels where dropped.level == 1 && !placed.contains(where: { $0.label.cluster == dropped.cluster }) {
      XCTAssertEqual(LabelPlacer.place([dropped], width: 800, height: 450).count, 1)
    }
    // Coarse labels are placed in priority order: the highest-priority coarse label is always placed.
    XCTAssertTrue(placed.contains { $0.label.cluster == 18 })
  }

  func testTextMetricsMatchDejaVuWidths() {
    XCTAssertEqual(TextMetrics.width("m", size: 1000), 974)
    XCTAssertGreaterThan(TextMetrics.width("WWW", size: 12, bold: true), TextMetrics.width("WWW", size: 12))
    XCTAssertEqual(TextMetrics.wrapTerms("ALPHA · BETA · GAMMA DELTA", maxCharacters: 14), ["ALPHA · BETA", "GAMMA DELTA"])
  }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
