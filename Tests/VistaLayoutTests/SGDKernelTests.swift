import XCTest
import VistaCore
@testable import VistaLayout

/// The SGD's vectorised repulsion and its negative-sample pool, checked against their definitions.
final class SGDKernelTests: XCTestCase {
  func testPowerMatchesLibmAcrossTheRangeALayoutUses() {
    for b in [0.7915, 0.8951, 1.0, 1.93] {
      var worst = 0.0
      var x = 1e-12
      while x < 1e12 {
        let exact = LibM.pow(x, b)
        let approx = Double(RepulsionKernel.power(Float(x), Float(b)))
        // Float(x) rounds x itself (relative 6e-8), which x^b turns into b times that.
        let reference = LibM.pow(Double(Float(x)), b)
        worst = max(worst, abs(approx - reference) / reference)
        XCTAssertEqual(approx, exact, accuracy: exact * 2e-5, "x = \(x), b = \(b)")
        x *= 1.37
      }
      // log2's error is multiplied by b: below 1e-5 at UMAP's usual b ≤ 1, about b · 6e-6 above.
      XCTAssertLessThan(worst, 6e-6 * max(1.6, b), "b = \(b)")
    }
    XCTAssertTrue(RepulsionKernel.power(0, 0.9).isFinite)
  }

  func testGradientsAreTheClippedRepulsionAndSkipCoincidentPoints() {
    let (a, b): (Float, Float) = (1.577, 0.8951)
    let kernel = RepulsionKernel(a: a, b: b, scale: 2 * 1 * b)
    // 37 valid tails of 48 computed (the SGD computes whole vectors), two where the head stands
    // (as its own entry is).
    let valid = 37, count = 48
    var xs = (0..<count).map { Float($0 % 7) * 0.9 - 2.5 }
    var ys = (0..<count).map { Float($0 % 5) * 1.3 - 3 }
    let head: (Float, Float) = (0.3, -0.4)
    xs[5] = head.0; ys[5] = head.1
    xs[11] = head.0; ys[11] = head.1
    var outX = [Float](repeating: .nan, count: count), outY = outX
    var total: (Float, Float) = (.nan, .nan)
    xs.withUnsafeBufferPointer { px in
      ys.withUnsafeBufferPointer { py in
        outX.withUnsafeMutableBufferPointer { ox in
          outY.withUnsafeMutableBufferPointer { oy in
            kernel.gradients(x: head.0, y: head.1, poolX: px.baseAddress!, poolY: py.baseAddress!, count: count,
                             valid: valid, outX: ox.baseAddress!, outY: oy.baseAddress!)
            total = RepulsionKernel.total(x: ox.baseAddress!, y: oy.baseAddress!, count: count)
          }
        }
      }
    }
    var sum = (0.0, 0.0)
    for i in 0..<count {
      let dx = Double(head.0 - xs[i]), dy = Double(head.1 - ys[i]), d2 = dx * dx + dy * dy
      if i == 5 || i == 11 || i >= valid {
        XCTAssertEqual(outX[i], 0, "tail \(i)")
        XCTAssertEqual(outY[i], 0, "tail \(i)")
        continue
      }
      let c = 2 * Double(b) / ((0.001 + d2) * (1 + Double(a) * LibM.pow(d2, Double(b))))
      XCTAssertEqual(Double(outX[i]), min(4, max(-4, c * dx)), accuracy: 1e-4, "tail \(i)")
      XCTAssertEqual(Double(outY[i]), min(4, max(-4, c * dy)), accuracy: 1e-4, "tail \(i)")
      sum.0 += Double(outX[i])
      sum.1 += Double(outY[i])
    }
    XCTAssertTrue(outX.contains(4) || outX.contains(-4) || outY.contains(4) || outY.contains(-4), "some gradient is clipped")
    // The head's total push: the sum of the valid gradients.
    XCTAssertEqual(Double(total.0), sum.0, accuracy: 1e-4)
    XCTAssertEqual(Double(total.1), sum.1, accuracy: 1e-4)
    XCTAssertNotEqual(total.0, 0)
  }

  func testEachEpochArrangesEveryTailOnceAndPadsWithTheFirst() {
    let n = 1_000
    // Tail i stands at (2i, 2i + 1), so an entry's x names its tail.
    let positions = Matrix(rows: n, cols: 2, storage: (0..<(2 * n)).map { Float($0) })
    func arrange(_ pool: NegativeSamplePool, _ positions: Matrix, epoch: Int) {
      positions.storage.withUnsafeBufferPointer { pool.arrange($0.baseAddress!, epoch: epoch) }
    }
    func tails(_ pool: NegativeSamplePool, _ range: Range<Int>) -> [Int] { range.map { Int(pool.x[$0]) / 2 } }
    let pool = NegativeSamplePool(count: n, seed: 3)
    defer { pool.release() }
    var orders: [[Int]] = []
    for epoch in 0..<3 {
      arrange(pool, positions, epoch: epoch)
      let order = tails(pool, 0..<n)
      XCTAssertEqual(Set(order).count, n, "epoch \(epoch) is a permutation")
      for j in 0..<n {
        XCTAssertEqual(pool.x[j], positions[order[j], 0])
        XCTAssertEqual(pool.y[j], positions[order[j], 1])
      }
      XCTAssertEqual(tails(pool, n..<(n + NegativeSamplePool.padding)), Array(order[0..<NegativeSamplePool.padding]))
      for j in n..<(n + NegativeSamplePool.padding) { XCTAssertEqual(pool.y[j], pool.y[j - n]) }
      orders.append(order)
    }
    XCTAssertNotEqual(orders[0], orders[1])
    XCTAssertNotEqual(orders[1], orders[2])
    // Same seed, same epoch: the same order.
    let again = NegativeSamplePool(count: n, seed: 3)
    defer { again.release() }
    arrange(again, positions, epoch: 1)
    XCTAssertEqual(tails(again, 0..<n), orders[1])
    // Tiny pools (fewer tails than the padding) still fill it.
    let tiny = NegativeSamplePool(count: 3, seed: 1)
    defer { tiny.release() }
    arrange(tiny, Matrix(rows: 3, cols: 2, storage: [0, 0, 2, 2, 4, 4]), epoch: 0)
    XCTAssertEqual(Set(tails(tiny, 0..<(3 + NegativeSamplePool.padding))), [0, 1, 2])
  }

  func testNoNegativeSamplesIsAValidChoice() throws {
    // negative_sample_rate=0 (attraction only) once computed 0 · ∞ for the owed count.
    let (data, _) = TestData.blobs(perCluster: 30, clusters: 2, dim: 5, seed: 4)
    var options = UMAPOptions()
    options.epochs = 20
    options.negativeSampleRate = 0
    let result = try UMAP.fit(.dense(data), options: options)
    XCTAssertTrue(result.embedding.storage.allSatisfy(\.isFinite))
  }
}
