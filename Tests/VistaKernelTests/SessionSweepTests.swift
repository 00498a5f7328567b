import Foundation
import VistaCore
import XCTest

@testable import VistaKernel

final class SessionSweepTests: XCTestCase {
  func testGridExpandsEveryCombinationInDeterministicOrder() throws {
    let neighbors = try SweepGrid.values("5,15,50", option: "neighbors")
    let minDist = try SweepGrid.values("0.0..0.5:0.25", option: "min_dist")
    XCTAssertEqual(minDist, ["0.00", "0.25", "0.50"])
    let grid = SweepGrid.expand([(name: "neighbors", values: neighbors), (name: "min_dist", values: minDist)])
    XCTAssertEqual(grid.count, 9)
    XCTAssertEqual(grid[0], ["neighbors": "5", "min_dist": "0.00"])
    XCTAssertEqual(grid[1], ["neighbors": "5", "min_dist": "0.25"])
    XCTAssertEqual(grid[8], ["neighbors": "50", "min_dist": "0.50"])
    XCTAssertEqual(Set(grid).count, 9)
    // The dictionary form sorts axis names: min_dist varies slowest.
    let sorted = SweepGrid.expand(["neighbors": neighbors, "min_dist": ["0.0", "0.1", "0.5"]])
    XCTAssertEqual(sorted.map { $0["min_dist"] ?? "" }, ["0.0", "0.0", "0.0", "0.1", "0.1", "0.1", "0.5", "0.5", "0.5"])
    XCTAssertEqual(sorted, SweepGrid.expand(["min_dist": ["0.0", "0.1", "0.5"], "neighbors": neighbors]))
  }

  func testValueParsingAcceptsRangesAndRejectsNonsense() throws {
    XCTAssertEqual(try SweepGrid.values("5..8", option: "k"), ["5", "6", "7", "8"])
    XCTAssertEqual(try SweepGrid.values("10..30:10", option: "k"), ["10", "20", "30"])
    XCTAssertEqual(try SweepGrid.values("0.1", option: "k"), ["0.1"])
    XCTAssertThrowsError(try SweepGrid.values("8..5", option: "k")) { error in
      XCTAssertEqual((error as? VistaError)?.location, "option k")
    }
    XCTAssertThrowsError(try SweepGrid.values("0.0..1.0", option: "min_dist"))
    XCTAssertThrowsError(try SweepGrid.values("5,,15", option: "neighbors"))
    XCTAssertThrowsError(try SweepGrid.values("1..100000", option: "k"))
  }

  func testSweepRunsInParallelAndKeepsGridOrder() {
    let grid = (0..<12).map { StageParameters(["i": String($0)]) }
    let progressLog = LockedLog()
    let running = ConcurrencyGauge()
    let outcome = runSweep(grid: grid, threads: 4, progress: .none, onProgress: { done, total in
      progressLog.append("\(done)/\(total)")
    }) { parameters, _ -> Int in
      running.enter()
      defer { running.leave() }
      // Later items finish first, so completion order differs from grid order.
      let i = Int(parameters["i"] ?? "0") ?? 0
      Thread.sleep(forTimeInterval: Double(12 - i) * 0.002)
      return i * i
    }
    XCTAssertGreaterThanOrEqual(running.peak, 2, "variants ran one at a time")
    XCTAssertFalse(outcome.interrupted)
    XCTAssertEqual(outcome.items.map(\.value), (0..<12).map { Optional($0 * $0) })
    XCTAssertEqual(outcome.items.map(\.parameters), grid)
    XCTAssertEqual(progressLog.entries.last, "12/12")
    XCTAssertEqual(progressLog.entries.count, 12)
    XCTAssertTrue(outcome.items.allSatisfy { $0.elapsed > 0 })
    XCTAssertEqual(outcome.best { Double($0) }, 11)
    XCTAssertEqual(outcome.best { -Double($0) }, 0)
  }

  func testInterruptedSweepKeepsWhatFinished() {
    let grid = (0..<10).map { StageParameters(["i": String($0)]) }
    let progress = VistaCore.Progress()
    let outcome = runSweep(grid: grid, threads: 2, progress: progress, onProgress: { done, _ in
      if done == 3 { progress.cancel() }
    }) { parameters, child -> Int in
      let i = Int(parameters["i"] ?? "0") ?? 0
      if i < 3 { return i }
      // Long variants stop at their next cancellation check.
      for _ in 0..<5000 {
        try child.checkCancelled()
        Thread.sleep(forTimeInterval: 0.001)
      }
      return i
    }
    XCTAssertTrue(outcome.interrupted)
    XCTAssertEqual(outcome.items.prefix(3).map(\.value), [0, 1, 2])
    XCTAssertEqual(outcome.items.prefix(3).map(\.status), [.finished, .finished, .finished])
    XCTAssertEqual(outcome.items.dropFirst(3).map(\.status), Array(repeating: .cancelled, count: 7))
    XCTAssertEqual(outcome.finishedCount, 3)
    XCTAssertEqual(outcome.results.count, 10)
  }

  func testFailedVariantDoesNotStopTheOthers() {
    let grid = (0..<4).map { StageParameters(["i": String($0)]) }
    let outcome = runSweep(grid: grid, threads: 2, progress: .none) { parameters, _ -> Int in
      if parameters["i"] == "2" { throw VistaError("bad variant") }
      return 1
    }
    XCTAssertEqual(outcome.items.map(\.status), [.finished, .finished, .failed, .finished])
    XCTAssertFalse(outcome.interrupted)
  }

  func testStageSweepFillsTheCacheSoPickingTheWinnerIsFree() throws {
    let session = Session(cacheDirectory: nil)
    ToyPipeline.register(on: session)
    try ToyPipeline.runChain(session)
    let grid = SweepGrid.expand([(name: "scale", values: ["1", "2", "3"])])
    let outcome = session.sweepStage(.layout, grid: grid, as: [Float].self, threads: 2, progress: .none)
    XCTAssertEqual(outcome.items.map { $0.value?.first }, [362, 723, 1084])
    XCTAssertEqual(session.computeCounts[.layout], 4)
    XCTAssertEqual(session.record(.layout)?.parameters, ["scale": "0.5"], "a sweep does not change the session")

    let winner = try XCTUnwrap(outcome.best { $0.reduce(0, +).isFinite ? Double($0[0]) : .nan })
    try session.run(.layout, parameters: outcome.items[winner].parameters, command: "layout scale=3", progress: .none)
    XCTAssertEqual(session.computeCounts[.layout], 4, "the winner comes from the cache")
    XCTAssertEqual(session.record(.layout)?.cacheHit, .memory)
    XCTAssertEqual(session.record(.map)?.state, .stale)
  }
}

/// How many evaluations run at once, and the most that ever did.
final class ConcurrencyGauge: @unchecked Sendable {
  private let lock = NSLock()
  private var now = 0
  private var most = 0
  func enter() { lock.lock(); now += 1; most = max(most, now); lock.unlock() }
  func leave() { lock.lock(); now -= 1; lock.unlock() }
  var peak: Int { lock.lock(); defer { lock.unlock() }; return most }
}

/// A list safe to append to from concurrent workers.
final class LockedLog: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
  var entries: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
