import XCTest
import VistaCore
@testable import VistaLayout

/// The 4 × 4 inner-product tiles of NN-descent's local joins, and the pairs a join visits.
final class DotTileTests: XCTestCase {
  func testTileProductsAreExactAndIndependentOfWhereAPairSits() {
    // 21 columns: two whole vectors and a 5-column tail; 784: MNIST's width, whole vectors only.
    for cols in [3, 21, 784] {
      let data = TestData.random(rows: 12, cols: cols, seed: UInt64(cols))
      let rows = TestData.rows(data)
      data.storage.withUnsafeBufferPointer { storage in
        let base = storage.baseAddress!
        var out = [Float](repeating: 0, count: 16)
        let p: [Int32] = [0, 5, 7, 11], q: [Int32] = [3, 5, 9, 1]
        DotTile.compute(rows: base, cols: cols, p: p, q: q, out: &out)
        var swapped = [Float](repeating: 0, count: 16)
        DotTile.compute(rows: base, cols: cols, p: q, q: p, out: &swapped)
        for a in 0..<4 {
          for b in 0..<4 {
            let x = rows[Int(p[a])], y = rows[Int(q[b])]
            let reference = zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(Double(out[4 * a + b]), reference, accuracy: 1e-5 * Double(cols), "cols \(cols) (\(a), \(b))")
            // Bit for bit: alone, and with the pair's rows swapped into the other side of a tile.
            let single = DotTile.single(base + Int(p[a]) * cols, base + Int(q[b]) * cols, cols: cols)
            XCTAssertEqual(out[4 * a + b].bitPattern, single.bitPattern, "cols \(cols) (\(a), \(b))")
            XCTAssertEqual(out[4 * a + b].bitPattern, swapped[4 * b + a].bitPattern, "cols \(cols) (\(a), \(b))")
          }
        }
      }
    }
  }

  /// Every pair `forEachPair` reports, with repeats, against the pairs the local join needs, for dense
  /// rows (tiles, with lists that are not whole tiles) and sparse rows (pair by pair).
  func testJoinVisitsEachNeededPairOnceWithItsDistance() throws {
    let data = TestData.random(rows: 40, cols: 24, seed: 77)
    let inputs: [LayoutInput] = [.dense(data), .sparse(SparseMatrix(dense: data))]
    for input in inputs {
      for metric in [Metric.euclidean, .cosine] {
        let prepared = PreparedRows(input, metric: metric, asReference: false)
        prepared.withPairKernel { kernel in
          // (leading, list): a leaf (all leading), a join with old entries, one that repeats a
          // leading point among the old ones, and single-entry edge cases.
          let cases: [(Int, [Int32])] = [
            (7, [3, 9, 14, 1, 22, 30, 5]),
            (5, [2, 4, 6, 8, 10, 11, 13, 15, 17, 19, 21]),
            (3, [0, 1, 2, 1, 39, 2]),
            (1, [5, 6, 7]),
            (1, [5]),
          ]
          for (leading, list) in cases {
            // The local join's rule: within the leading part each pair once, then each leading entry
            // with every later entry except itself (an entry in both parts meets its copies twice).
            var expected: [[Int32]] = []
            for a in 0..<leading {
              for b in (a + 1)..<list.count where list[a] != list[b] { expected.append([list[a], list[b]]) }
            }
            var seen: [[Int32]] = []
            var buffer = list + [0, 0, 0]
            buffer.withUnsafeMutableBufferPointer { b in
              NNDescent.forEachPair(b.baseAddress!, leading: leading, count: list.count, kernel: kernel) { p, q, d in
                seen.append([p, q])
                let reference = kernel.rankingDistance(Int(p), Int(q))
                XCTAssertEqual(d, reference, accuracy: 1e-5 * max(1, abs(reference)), "\(metric) \(p), \(q)")
              }
            }
            XCTAssertEqual(seen.sorted { $0.lexicographicallyPrecedes($1) }, expected.sorted { $0.lexicographicallyPrecedes($1) },
                           "\(metric) \(list)")
          }
        }
      }
    }
  }
}
