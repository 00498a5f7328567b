import XCTest
import VistaCore

/// `parallelRounds`: the SGD's epochs on a team of threads kept between rounds.
final class ParallelRoundsTests: XCTestCase {
  /// Each round sees every chunk of the previous one finished: a chunk adds the sum of the
  /// previous round's values (read in `prepare`, on the caller alone) to its own slot, so one
  /// missed, repeated or overlapping chunk changes the totals.
  func testEveryChunkRunsOnceARoundAfterThePreviousRound() throws {
    let chunks = 37, rounds = 200
    for threads in [1, 2, 4] {
      let values = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
      values.initialize(repeating: 1, count: chunks)
      defer { values.deallocate() }
      var previousSum = 0
      var prepared: [Int] = []
      try parallelRounds(rounds, chunks: chunks, threads: threads, prepare: { round in
        prepared.append(round)
        previousSum = (0..<chunks).reduce(0) { $0 + values[$1] } % 1_000_003
      }) { _, c in
        values[c] = (values[c] + previousSum + c) % 1_000_003
      }
      XCTAssertEqual(prepared, Array(0..<rounds), "threads \(threads)")
      // The same recurrence, serially.
      var expected = [Int](repeating: 1, count: chunks)
      for _ in 0..<rounds {
        let sum = expected.reduce(0, +) % 1_000_003
        for c in 0..<chunks { expected[c] = (expected[c] + sum + c) % 1_000_003 }
      }
      XCTAssertEqual(Array(UnsafeBufferPointer(start: values, count: chunks)), expected, "threads \(threads)")
    }
  }

  /// An error in `prepare` (the SGD's interruption check) stops the rounds and comes back out,
  /// with the rounds before it done and none after.
  func testAThrowingPrepareStopsTheRoundsAndRethrows() {
    struct Stop: Error {}
    for threads in [1, 2] {
      // One slot per (round, chunk): no two threads write the same one.
      var ran = [Int](repeating: 0, count: 10 * 8)
      XCTAssertThrowsError(try ran.withUnsafeMutableBufferPointer { slots in
        try parallelRounds(10, chunks: 8, threads: threads, prepare: { round in
          if round == 4 { throw Stop() }
        }) { round, c in
          slots[round * 8 + c] += 1
        }
      }) { XCTAssertTrue($0 is Stop) }
      let perRound = (0..<10).map { r in ran[(r * 8)..<(r * 8 + 8)].reduce(0, +) }
      XCTAssertEqual(perRound, [8, 8, 8, 8, 0, 0, 0, 0, 0, 0], "threads \(threads)")
      XCTAssertTrue(ran.allSatisfy { $0 <= 1 })
    }
  }
}
