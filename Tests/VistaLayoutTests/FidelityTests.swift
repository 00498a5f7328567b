import XCTest
import VistaCore
@testable import VistaLayout

final class FidelityTests: XCTestCase {
  func testIdenticalSpacesGiveOneMinusP() throws {
    let data = TestData.random(rows: 200, cols: 2, seed: 11)
    let curve = try MutualKNN.gainCurve(high: .dense(data), low: data, fractions: [0.01, 0.05, 0.1, 0.2],
                                        rules: NeighborRules(high: .euclidean, low: .euclidean))
    XCTAssertEqual(curve.points.map(\.k), [2, 10, 20, 40])
    for p in curve.points {
      XCTAssertEqual(p.mutualKNN, 1, accuracy: 1e-12)
      XCTAssertEqual(p.gain, 1 - p.fraction, accuracy: 1e-12)
    }
    XCTAssertEqual(curve.best?.fraction, 0.01)
  }

  func testRandomLayoutGainIsNearZero() throws {
    let high = TestData.random(rows: 1000, cols: 16, seed: 12)
    let low = TestData.random(rows: 1000, cols: 2, seed: 13)
    let curve = try MutualKNN.gainCurve(high: .dense(high), low: low)
    for p in curve.points { XCTAssertEqual(p.gain, 0, accuracy: 0.012, "p = \(p.fraction)") }
  }

  func testHandMadeCaseMatchesBruteForce() throws {
    // Brute-force |N_k^A ∩ N_k^B| / k averaged, with (distance, index) ties, on data with many ties.
    let high = Matrix(rows: 12, cols: 2, storage: (0..<24).map { Float(($0 * 7) % 5) })
    let low = Matrix(rows: 12, cols: 2, storage: (0..<24).map { Float(($0 * 3) % 4) })
    let hr = TestData.rows(high), lr = TestData.rows(low)
    for k in 1...5 {
      let a = TestData.bruteNeighbours(hr, k: k, metric: .cosine)
      let b = TestData.bruteNeighbours(lr, k: k, metric: .euclidean)
      var total = 0.0
      for i in 0..<12 { total += Double(Set(a[i]).intersection(b[i]).count) / Double(k) }
      let expected = total / 12
      let fraction = (Double(k) + 0.5) / 12
      let got = try MutualKNN.alignment(high: .dense(high), low: low, fraction: fraction)
      XCTAssertEqual(got, expected, accuracy: 1e-12, "k = \(k)")
    }
  }

  func testExactSmallCase() throws {
    // Four points: high-D neighbour of each is its pair (0-1, 2-3); on the map 0-2 and 1-3 are
    // closest. k = int(4·0.3) = 1: no point keeps its neighbour, mKNN = 0, gain = −0.3.
    let high = Matrix(rows: 4, cols: 2, storage: [0, 0, 0, 1, 10, 0, 10, 1])
    let low = Matrix(rows: 4, cols: 2, storage: [0, 0, 10, 0, 0, 1, 10, 1])
    let gain = try MutualKNN.gain(high: .dense(high), low: low, fraction: 0.3,
                                  rules: NeighborRules(high: .euclidean, low: .euclidean))
    XCTAssertEqual(gain, -0.3, accuracy: 1e-12)
  }

  /// sklearn's formula written out naively.
  func bruteTrustworthiness(_ high: [[Float]], _ low: [[Float]], k: Int, continuity: Bool) -> Double {
    let n = high.count
    let (neighbourSpace, rankSpace) = continuity ? (high, low) : (low, high)
    var total = 0.0
    for i in 0..<n {
      let ranked = TestData.bruteNeighbours(rankSpace, k: n - 1, metric: .euclidean)[i]
      let neighbours = TestData.bruteNeighbours(neighbourSpace, k: k, metric: .euclidean)[i]
      for j in neighbours {
        let r = ranked.firstIndex(of: j)! + 1
        total += Double(max(0, r - k))
      }
    }
    return 1 - total * 2 / (Double(n) * Double(k) * (2 * Double(n) - 3 * Double(k) - 1))
  }

  func testTrustworthinessAndContinuityMatchBruteForce() throws {
    let high = TestData.random(rows: 40, cols: 5, seed: 21)
    let low = TestData.random(rows: 40, cols: 2, seed: 22)
    for k in [1, 3, 7] {
      let t = try Trustworthiness.trustworthiness(high: .dense(high), low: low, k: k)
      let c = try Trustworthiness.continuity(high: .dense(high), low: low, k: k)
      XCTAssertEqual(t, bruteTrustworthiness(TestData.rows(high), TestData.rows(low), k: k, continuity: false), accuracy: 1e-12)
      XCTAssertEqual(c, bruteTrustworthiness(TestData.rows(high), TestData.rows(low), k: k, continuity: true), accuracy: 1e-12)
      XCTAssertLessThan(t, 0.9, "a random map is not trustworthy")
    }
    XCTAssertEqual(try Trustworthiness.trustworthiness(high: .dense(low), low: low, k: 5), 1, accuracy: 1e-12)
  }

  func testParsesNeighbourhoodSizes() throws {
    XCTAssertEqual(try GainCurve.parseFractions("0.5%..20%"), GainCurve.defaultFractions)
    XCTAssertEqual(try GainCurve.parseFractions("1%, 5%,9%"), [0.01, 0.05, 0.09])
    XCTAssertEqual(try GainCurve.parseFractions("0.02"), [0.02])
    XCTAssertThrowsError(try GainCurve.parseFractions("0%..5%"))
    XCTAssertThrowsError(try GainCurve.parseFractions("five"))
  }

  func testTrustworthinessRejectsLargeK() {
    let m = TestData.random(rows: 10, cols: 2, seed: 1)
    XCTAssertThrowsError(try Trustworthiness.trustworthiness(high: .dense(m), low: m, k: 5))
  }
}
