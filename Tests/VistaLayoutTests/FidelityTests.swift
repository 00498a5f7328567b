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

  /// 600 points: enough for the sampled threshold of the gain's selections (more than 64 sampled
  /// points), and sparse codes take the path that computes a few rows at a time per worker. Both
  /// against brute force in double precision (a near tie may fall the other way, hence the small
  /// tolerance), every neighbour order sorted once.
  func testGainAndTrustworthinessOnManyPointsMatchBruteForce() throws {
    let (codes, labels) = TestData.sparseCodes(perCluster: 75, clusters: 8, cols: 60, active: 8, seed: 31)
    var rng = SeededGenerator(seed: 32)
    // A map that keeps the clusters apart but scrambles each one a little.
    var positions: [Float] = []
    for c in labels {
      let x = Float(c % 4) * 5 + Float(rng.nextGaussian())
      let y = Float(c / 4) * 5 + Float(rng.nextGaussian())
      positions += [x, y]
    }
    let low = Matrix(rows: codes.rows, cols: 2, storage: positions)
    let n = codes.rows
    XCTAssertEqual(n, 600)
    /// Every point's others, nearest first (ties by index), in double precision.
    func order(_ rows: [[Float]], cosine: Bool) -> [[Int]] {
      let x = rows.map { $0.map(Double.init) }
      let norms = x.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
      return (0..<n).map { i in
        var d = [Double](repeating: 0, count: n)
        for j in 0..<n {
          var s = 0.0
          if cosine {
            for c in 0..<x[i].count { s += x[i][c] * x[j][c] }
            d[j] = norms[i] == 0 || norms[j] == 0 ? (norms[i] == norms[j] ? 0 : 1) : max(0, 1 - s / (norms[i] * norms[j]))
          } else {
            for c in 0..<x[i].count { s += (x[i][c] - x[j][c]) * (x[i][c] - x[j][c]) }
            d[j] = s
          }
        }
        return (0..<n).filter { $0 != i }.sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }
      }
    }
    let highRows = TestData.rows(codes.toDense()), lowRows = TestData.rows(low)
    let highCosine = order(highRows, cosine: true), highEuclidean = order(highRows, cosine: false)
    let lowOrder = order(lowRows, cosine: false)
    func rankOf(_ order: [[Int]]) -> [[Int]] {
      order.map { o in
        var r = [Int](repeating: 0, count: n)
        for (p, j) in o.enumerated() { r[j] = p + 1 }
        return r
      }
    }
    let highRank = rankOf(highEuclidean), lowRank = rankOf(lowOrder)
    func brute(_ k: Int, continuity: Bool) -> Double {
      var total = 0.0
      for i in 0..<n {
        for j in (continuity ? highEuclidean : lowOrder)[i].prefix(k) {
          total += Double(max(0, (continuity ? lowRank : highRank)[i][j] - k))
        }
      }
      return 1 - total * 2 / (Double(n) * Double(k) * (2 * Double(n) - 3 * Double(k) - 1))
    }
    for input in [LayoutInput.sparse(codes), .dense(codes.toDense())] {
      let fractions = [0.01, 0.05, 0.2]
      let curve = try MutualKNN.gainCurve(high: input, low: low, fractions: fractions)
      for (point, f) in zip(curve.points, fractions) {
        let k = Int(Double(n) * f)
        var total = 0.0
        for i in 0..<n { total += Double(Set(highCosine[i].prefix(k)).intersection(lowOrder[i].prefix(k)).count) / Double(k) }
        XCTAssertEqual(point.mutualKNN, total / Double(n), accuracy: 1e-3, "k = \(k)")
      }
      XCTAssertEqual(try Trustworthiness.trustworthiness(high: input, low: low, k: 7), brute(7, continuity: false), accuracy: 1e-4)
      XCTAssertEqual(try Trustworthiness.continuity(high: input, low: low, k: 7), brute(7, continuity: true), accuracy: 1e-4)
    }
  }

  /// The candidates the gain's selections start from: at least the wanted nearest, and nothing
  /// kept farther than something dropped (so the nearest `wanted` are all there), self excluded;
  /// including rows full of ties and a sample that misleads (the fallback keeps everything).
  func testFillNearestKeepsEveryPointUpToTheWantedRank() {
    var rng = SeededGenerator(seed: 41)
    let n = 2_000
    let rows: [[Float]] = [
      (0..<n).map { _ in Float(rng.nextUnitDouble()) },
      (0..<n).map { _ in Float(Int(rng.next() % 5)) },  // five distinct distances
      (0..<n).map { $0 % 8 == 0 ? 0 : 1 },  // the sampled points are the nearest
    ]
    for (r, values) in rows.enumerated() {
      for (i, wanted) in [(0, 400), (17, 1), (1_999, 1_200)] {
        var row = values
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        defer { keys.deallocate() }
        let kept = row.withUnsafeMutableBufferPointer {
          MutualKNN.fillNearest(keys, row: $0.baseAddress!, n: n, excluding: i, atLeast: wanted)
        }
        let all = (0..<n).filter { $0 != i }.map { OrderedKeys.key(values[$0], $0) }.sorted()
        let got = Array(UnsafeBufferPointer(start: keys, count: kept)).sorted()
        XCTAssertGreaterThanOrEqual(kept, wanted, "row \(r), i \(i)")
        XCTAssertEqual(got, Array(all.prefix(kept)), "row \(r), i \(i): the kept keys are the nearest ones")
      }
    }
  }

  func testParsesNeighbourhoodSizes() throws {
    XCTAssertEqual(try GainCurve.parseFractions("0.5%..20%"), GainCurve.defaultFractions)
    XCTAssertEqual(try GainCurve.parseFractions("1%, 5%,9%"), [0.01, 0.05, 0.09])
    XCTAssertEqual(try GainCurve.parseFractions("0.02"), [0.02])
    XCTAssertThrowsError(try GainCurve.parseFractions("0%..5%"))
    XCTAssertThrowsError(try GainCurve.parseFractions("five"))
  }

  func testOnePassReportIsTheSeparateMeasures() throws {
    // Sparse codes (cosine) and dense rows (euclidean), enough points for several row chunks.
    let (codes, labels) = TestData.sparseCodes(perCluster: 90, clusters: 7, cols: 50, active: 6, seed: 41)
    var rng = SeededGenerator(seed: 42)
    var positions: [Float] = []
    for c in labels {
      positions.append(Float(c % 3) * 4 + Float(rng.nextGaussian()))
      positions.append(Float(c / 3) * 4 + Float(rng.nextGaussian()))
    }
    let map = Matrix(rows: codes.rows, cols: 2, storage: positions)
    let dense = TestData.random(rows: codes.rows, cols: 9, seed: 43)
    let fractions = [0.01, 0.05, 0.1, 0.2]
    let cases: [(LayoutInput, NeighborRules)] = [
      (.sparse(codes), NeighborRules()),
      (.dense(dense), NeighborRules(high: .euclidean, low: .euclidean)),
      (.dense(dense), NeighborRules(high: .euclidean, low: .cosine)),  // the separate passes' path
    ]
    for (high, rules) in cases {
      let report = try FidelityReport.measure(high: high, low: map, fractions: fractions, rules: rules, trustK: 12, threads: 3)
      XCTAssertEqual(report.curve, try MutualKNN.gainCurve(high: high, low: map, fractions: fractions, rules: rules, threads: 1))
      XCTAssertEqual(report.trustK, 12)
      XCTAssertEqual(report.trustworthiness,
                     try Trustworthiness.trustworthiness(high: high, low: map, k: 12, highMetric: rules.high, threads: 1))
      XCTAssertEqual(report.continuity,
                     try Trustworthiness.continuity(high: high, low: map, k: 12, highMetric: rules.high, threads: 1))
      let gainOnly = try FidelityReport.measure(high: high, low: map, fractions: fractions, rules: rules)
      XCTAssertEqual(gainOnly.curve, report.curve)
      XCTAssertNil(gainOnly.trustworthiness)
      let noContinuity = try FidelityReport.measure(high: high, low: map, fractions: fractions, rules: rules, trustK: 12,
                                                    continuity: false)
      XCTAssertEqual(noContinuity.trustworthiness, report.trustworthiness)
      XCTAssertNil(noContinuity.continuity)
    }
    XCTAssertThrowsError(try FidelityReport.measure(high: .dense(dense), low: map, trustK: codes.rows / 2))
  }

  func testTrustworthinessRejectsLargeK() {
    let m = TestData.random(rows: 10, cols: 2, seed: 1)
    XCTAssertThrowsError(try Trustworthiness.trustworthiness(high: .dense(m), low: m, k: 5))
  }
}
