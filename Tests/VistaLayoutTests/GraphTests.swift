import Foundation
import XCTest
import VistaCore
@testable import VistaLayout

final class GraphTests: XCTestCase {
  func testSmoothKNNHitsTargetAndRho() throws {
    let data = TestData.random(rows: 100, cols: 4, seed: 31)
    let knn = try NearestNeighbors.exact(.dense(data), k: 10, metric: .euclidean)
    let smooth = SmoothKNN(knn, localConnectivity: 1)
    for i in 0..<100 {
      XCTAssertEqual(smooth.rho[i], knn.distances[i * 10 + 1])
      var sum = 0.0
      for j in 1..<10 {
        let d = Double(knn.distances[i * 10 + j] - smooth.rho[i])
        sum += d > 0 ? Foundation.exp(-d / Double(smooth.sigma[i])) : 1
      }
      XCTAssertEqual(sum, Foundation.log2(10.0), accuracy: 1e-3)
    }
  }

  func testGraphIsTheSameAtAnyThreadCount() throws {
    // 2,500 points: several chunks of rows for the bandwidths (256) and for the graph (1,024).
    let data = TestData.random(rows: 2_500, cols: 6, seed: 33)
    let knn = try NearestNeighbors.exact(.dense(data), k: 12, metric: .euclidean)
    let one = SmoothKNN(knn, localConnectivity: 1, threads: 1), three = SmoothKNN(knn, localConnectivity: 1, threads: 3)
    XCTAssertEqual(one.rho, three.rho)
    XCTAssertEqual(one.sigma, three.sigma)
    let serial = FuzzySimplicialSet.build(knn, setOpMixRatio: 1, localConnectivity: 1, threads: 1)
    XCTAssertEqual(serial, FuzzySimplicialSet.build(knn, setOpMixRatio: 1, localConnectivity: 1, threads: 3))
    XCTAssertEqual(serial.rowPointers.count, 2_501)
    XCTAssertGreaterThanOrEqual(serial.edgeCount, 2_500 * 11)
  }

  func testFuzzyUnionAndIntersection() throws {
    let data = TestData.random(rows: 50, cols: 3, seed: 32)
    let knn = try NearestNeighbors.exact(.dense(data), k: 6, metric: .euclidean)
    let smooth = SmoothKNN(knn, localConnectivity: 1)
    let a = FuzzySimplicialSet.memberships(knn, smooth: smooth, columns: 50, bipartite: false)
    func weight(_ g: WeightedGraph, _ i: Int, _ j: Int) -> Float {
      for e in g.rowPointers[i]..<g.rowPointers[i + 1] where Int(g.columns[e]) == j { return g.weights[e] }
      return 0
    }
    for mix in [Float(1), 0, 0.3] {
      let g = FuzzySimplicialSet.build(knn, setOpMixRatio: mix, localConnectivity: 1)
      for i in 0..<50 {
        for j in 0..<50 {
          let x = weight(a, i, j), y = weight(a, j, i)
          let expected = mix * (x + y - x * y) + (1 - mix) * x * y
          XCTAssertEqual(weight(g, i, j), expected, accuracy: 1e-6)
          XCTAssertEqual(weight(g, i, j), weight(g, j, i))
        }
        XCTAssertEqual(weight(g, i, i), 0)
      }
    }
  }

  func testSpectralInitFindsLaplacianEigenvectors() throws {
    // A ring of 40 nodes plus chords: connected, eigenvectors known to be smooth.
    var triples: [(Int, Int, Float)] = []
    for i in 0..<40 { triples.append((i, (i + 1) % 40, 1)); triples.append(((i + 1) % 40, i, 1)) }
    for i in stride(from: 0, to: 40, by: 5) { triples.append((i, (i + 20) % 40, 0.3)); triples.append(((i + 20) % 40, i, 0.3)) }
    triples.sort { ($0.0, $0.1) < ($1.0, $1.1) }
    var pointers = [0], cols: [Int32] = [], weights: [Float] = []
    var row = 0
    for (i, j, w) in triples {
      while row < i { pointers.append(cols.count); row += 1 }
      cols.append(Int32(j)); weights.append(w)
    }
    while row < 40 { pointers.append(cols.count); row += 1 }
    let graph = WeightedGraph(rows: 40, cols: 40, rowPointers: pointers, columns: cols, weights: weights)
    let (layout, components) = try SpectralInit.layout(graph: graph, seed: 1, progress: .none)
    XCTAssertEqual(components, 1)
    // Each column is (up to the noise and scale) an eigenvector of D^-1/2 W D^-1/2.
    var degree = [Double](repeating: 0, count: 40)
    for i in 0..<40 { for e in pointers[i]..<pointers[i + 1] { degree[i] += Double(weights[e]) } }
    for c in 0..<2 {
      let v = (0..<40).map { Double(layout[$0, c]) }
      var mv = [Double](repeating: 0, count: 40)
      for i in 0..<40 {
        for e in pointers[i]..<pointers[i + 1] {
          let j = Int(cols[e])
          mv[i] += Double(weights[e]) / (degree[i] * degree[j]).squareRoot() * v[j]
        }
      }
      let lambda = zip(v, mv).reduce(0) { $0 + $1.0 * $1.1 } / v.reduce(0) { $0 + $1 * $1 }
      let residual = zip(v, mv).reduce(0) { $0 + ($1.1 - lambda * $1.0) * ($1.1 - lambda * $1.0) }.squareRoot()
      XCTAssertLessThan(residual / v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-3)
      XCTAssertLessThan(lambda, 0.9999, "not the trivial eigenvector")
      XCTAssertGreaterThan(lambda, 0.8, "one of the largest non-trivial eigenvalues")
    }
  }
}
