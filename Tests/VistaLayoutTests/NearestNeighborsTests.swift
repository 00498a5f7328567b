import XCTest
import VistaCore
@testable import VistaLayout

final class NearestNeighborsTests: XCTestCase {
  let metrics: [Metric] = [.euclidean, .cosine, .correlation, .dot, .vista(axis: 2, axisWeight: 0.5)]

  func testPairwiseDistancesMatchBruteForceDenseAndSparse() throws {
    var data = TestData.random(rows: 30, cols: 12, seed: 3)
    for i in 0..<data.storage.count where i % 3 == 0 { data.storage[i] = 0 }  // sparse-ish, some exact zeros
    let rows = TestData.rows(data)
    for metric in metrics {
      let dense = try PairwiseDistances.matrix(.dense(data), metric: metric)
      let sparse = try PairwiseDistances.matrix(.sparse(SparseMatrix(dense: data)), metric: metric)
      for i in 0..<30 {
        for j in 0..<30 where i != j {
          let expected = TestData.distance(rows[i], rows[j], metric)
          XCTAssertEqual(Double(dense[i, j]), expected, accuracy: 2e-4, "\(metric) dense \(i),\(j)")
          XCTAssertEqual(Double(sparse[i, j]), expected, accuracy: 2e-4, "\(metric) sparse \(i),\(j)")
        }
        XCTAssertEqual(dense[i, i], 0)
      }
    }
  }

  func testVistaMetricByHand() throws {
    // x = (1, 0, 2), y = (0, 1, 5): cos = 10 / (√5·√26); axis 2 differs by 3.
    let data = Matrix(rows: 2, cols: 3, storage: [1, 0, 2, 0, 1, 5])
    let d = try PairwiseDistances.matrix(.dense(data), metric: .vista(axis: 2, axisWeight: 0.25))
    let expected = (1 - 10 / (5.0.squareRoot() * 26.0.squareRoot())) + 0.25 * 3
    XCTAssertEqual(Double(d[0, 1]), expected, accuracy: 1e-6)
    XCTAssertEqual(Double(d[1, 0]), expected, accuracy: 1e-6)
  }

  func testExactKNNMatchesBruteForceWithSelfFirst() throws {
    let data = TestData.random(rows: 60, cols: 7, seed: 5)
    let rows = TestData.rows(data)
    for metric in metrics {
      let knn = try NearestNeighbors.exact(.dense(data), k: 6, metric: metric, threads: 2)
      let brute = TestData.bruteNeighbours(rows, k: 5, metric: metric)
      for i in 0..<60 {
        XCTAssertEqual(knn.indices[i * 6], Int32(i))
        XCTAssertEqual(knn.distances[i * 6], 0)
        XCTAssertEqual(knn.neighbors(of: i).dropFirst().map(Int.init), brute[i], "\(metric) row \(i)")
      }
      let withoutSelf = try NearestNeighbors.exact(.dense(data), k: 5, metric: metric, includeSelf: false)
      XCTAssertEqual(withoutSelf.withSelf(true), knn.withSelf(true).withSelf(false).withSelf(true))
      for i in 0..<60 { XCTAssertEqual(withoutSelf.neighbors(of: i).map(Int.init), brute[i]) }
    }
  }

  func testTiesBreakBySmallerIndex() throws {
    // Points on a line: 1 is equidistant from 0 and 2, and so on.
    let data = Matrix(rows: 5, cols: 1, storage: [0, 1, 2, 3, 4])
    let knn = try NearestNeighbors.exact(.dense(data), k: 2, metric: .euclidean, includeSelf: false)
    XCTAssertEqual(knn.indices, [1, 2, 0, 2, 1, 3, 2, 4, 3, 2])
  }

  func testSparseCodesKNNMatchesDense() throws {
    let (codes, _) = TestData.sparseCodes(perCluster: 40, clusters: 5, cols: 300, active: 12, seed: 2)
    for metric in [Metric.cosine, .vista(axis: 0, axisWeight: 0.05), .euclidean] {
      let a = try NearestNeighbors.exact(.sparse(codes), k: 10, metric: metric)
      let b = try NearestNeighbors.exact(.dense(codes.toDense()), k: 10, metric: metric)
      var same = 0
      for i in 0..<codes.rows { same += Set(a.neighbors(of: i)).intersection(b.neighbors(of: i)).count }
      XCTAssertGreaterThan(Double(same) / Double(codes.rows * 10), 0.99, "\(metric)")
    }
  }

  /// Sparse rows are computed, finished and selected 32 at a time per worker, in groups of 2,048:
  /// 2,100 rows end in a short group and a short chunk; the graph must not depend on the threads
  /// and must agree with the dense path (one sgemm block).
  func testSparseExactKNNIsTheSameAcrossChunksAndThreads() throws {
    let (codes, _) = TestData.sparseCodes(perCluster: 300, clusters: 7, cols: 400, active: 12, seed: 21)
    XCTAssertEqual(codes.rows, 2_100)
    let metric = Metric.vista(axis: 0, axisWeight: 0.05)
    let one = try NearestNeighbors.exact(.sparse(codes), k: 8, metric: metric, threads: 1)
    let two = try NearestNeighbors.exact(.sparse(codes), k: 8, metric: metric, threads: 2)
    XCTAssertEqual(one, two)
    let dense = try NearestNeighbors.exact(.dense(codes.toDense()), k: 8, metric: metric, threads: 2)
    var same = 0
    for i in 0..<codes.rows {
      XCTAssertEqual(one.indices[i * 8], Int32(i))
      same += Set(one.neighbors(of: i)).intersection(dense.neighbors(of: i)).count
    }
    XCTAssertGreaterThan(Double(same) / Double(codes.rows * 8), 0.99)
  }

  func testNNDescentRecallAndDeterminism() throws {
    let (data, _) = TestData.blobs(perCluster: 150, clusters: 8, dim: 20, spread: 3, seed: 4)
    let exact = try NearestNeighbors.exact(.dense(data), k: 10, metric: .euclidean)
    var options = KNNOptions()
    options.method = .nnDescent
    options.seed = 9
    options.threads = 1
    let one = try NearestNeighbors.compute(.dense(data), k: 10, metric: .euclidean, options: options)
    options.threads = 2
    let two = try NearestNeighbors.compute(.dense(data), k: 10, metric: .euclidean, options: options)
    XCTAssertEqual(one, two, "NN-descent must not depend on the thread count")
    var hits = 0
    for i in 0..<data.rows { hits += Set(one.neighbors(of: i)).intersection(exact.neighbors(of: i)).count }
    XCTAssertGreaterThan(Double(hits) / Double(data.rows * 10), 0.95)
    for i in 0..<data.rows { XCTAssertEqual(one.indices[i * 10], Int32(i)) }
  }

  func testNNDescentOnWideDenseRowsUsesProjectedTrees() throws {
    // 160 columns: the trees split a 64-column random projection, the descent exact distances.
    let (data, _) = TestData.blobs(perCluster: 50, clusters: 8, dim: 160, spread: 0.8, seed: 14)
    for metric in [Metric.euclidean, .cosine] {
      let exact = try NearestNeighbors.exact(.dense(data), k: 15, metric: metric)
      var options = KNNOptions()
      options.method = .nnDescent
      let approx = try NearestNeighbors.compute(.dense(data), k: 15, metric: metric, options: options)
      var hits = 0
      for i in 0..<data.rows { hits += Set(approx.neighbors(of: i)).intersection(exact.neighbors(of: i)).count }
      XCTAssertGreaterThan(Double(hits) / Double(data.rows * 15), 0.95, "\(metric)")
      for e in stride(from: 1, to: approx.distances.count, by: 97) {
        // Reported distances are exact ones.
        let i = e / 15, j = Int(approx.indices[e])
        let d = TestData.distance(data.row(i), data.row(j), metric)
        XCTAssertEqual(Double(approx.distances[e]), d, accuracy: 1e-3 * max(1, d))
      }
    }
  }

  func testNNDescentOnSparseCosine() throws {
    let (codes, _) = TestData.sparseCodes(perCluster: 100, clusters: 6, cols: 500, active: 15, seed: 8)
    let exact = try NearestNeighbors.exact(.sparse(codes), k: 10, metric: .cosine)
    var options = KNNOptions()
    options.method = .nnDescent
    let approx = try NearestNeighbors.compute(.sparse(codes), k: 10, metric: .cosine, options: options)
    var hits = 0
    for i in 0..<codes.rows { hits += Set(approx.neighbors(of: i)).intersection(exact.neighbors(of: i)).count }
    XCTAssertGreaterThan(Double(hits) / Double(codes.rows * 10), 0.9)
  }

  func testBadInputIsAClearError() {
    let data = Matrix(rows: 3, cols: 2, storage: [0, 1, .nan, 2, 3, 4])
    XCTAssertThrowsError(try NearestNeighbors.exact(.dense(data), k: 2, metric: .euclidean)) { error in
      XCTAssertTrue("\(error)".contains("row 1"), "\(error)")
    }
    XCTAssertThrowsError(try NearestNeighbors.exact(.dense(TestData.random(rows: 4, cols: 2, seed: 1)), k: 9, metric: .cosine))
    XCTAssertThrowsError(try Metric(name: "manhattan"))
    XCTAssertThrowsError(try PairwiseDistances.matrix(.dense(TestData.random(rows: 4, cols: 2, seed: 1)),
                                                     metric: .vista(axis: 5, axisWeight: 1)))
  }
}
