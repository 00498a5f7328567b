import Foundation
#if os(Linux)
import Synchronization
#endif

/// Runs `body(chunk)` for `count` chunks on up to `threads` threads and waits.
///
/// Work is split into contiguous chunks so the result never depends on the thread count
/// when each chunk writes only its own outputs.
public func parallelFor(_ count: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (Int) -> Void) {
  if count <= 0 { return }
  if threads <= 1 || count == 1 {
    for i in 0..<count { body(i) }
    return
  }
  withoutActuallyEscaping(body) { body in
    DispatchQueue.concurrentPerform(iterations: count) { body($0) }
  }
}

/// Runs `rounds` rounds of parallel work separated by barriers: before each round, `prepare(round)`
/// on the calling thread alone; then `body(round, chunk)` for every chunk in 0..<chunks across
/// `threads` threads (the caller included); the next round starts when every chunk is done.
///
/// For many short rounds, such as the SGD's epochs (500 of about 0.4 ms at 4,000 points): the
/// threads are started once and wait between rounds by spinning, where a `parallelFor` a round
/// hands the work to Dispatch and wakes its threads each time (about 50 µs a round on the
/// development machine, an eighth of the round). As with `parallelFor`, results do not depend on
/// which thread runs a chunk when each chunk writes only its own outputs. If `prepare` throws, no
/// more rounds start and the error is rethrown once the threads have left.
public func parallelRounds(_ rounds: Int, chunks: Int, threads: Int, prepare: (Int) throws -> Void,
                           _ body: (Int, Int) -> Void) throws {
  #if os(Linux)
  let team = min(threads, chunks)
  if team > 1 {
    try RoundTeam.run(rounds, chunks: chunks, threads: team, prepare: prepare, body)
    return
  }
  #endif
  // Elsewhere (the team is written for Linux's threads and atomics): Dispatch each round.
  for round in 0..<rounds {
    try prepare(round)
    parallelFor(chunks, threads: threads) { body(round, $0) }
  }
}

#if os(Linux)
/// The threads of `parallelRounds` and the three counters they meet at.
private final class RoundTeam: @unchecked Sendable {
  /// The round the workers should run, `stopRound` to leave, −1 before the first.
  let round = Atomic<Int>(-1)
  let nextChunk = Atomic<Int>(0)
  /// Workers (not the caller) done with the current round.
  let finished = Atomic<Int>(0)
  static let stopRound = Int.min

  static func run(_ rounds: Int, chunks: Int, threads: Int, prepare: (Int) throws -> Void,
                  _ body: (Int, Int) -> Void) throws {
    try withoutActuallyEscaping(body) { body in
      let team = RoundTeam()
      // POSIX threads, joined before returning: `body` must not outlive this call, and a joined
      // thread has dropped its reference to it.
      var workers: [pthread_t] = []
      for _ in 1..<threads {
        let context = Unmanaged.passRetained(WorkerContext(team: team, chunks: chunks, body: body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, workerEntry, context) == 0 else {
          Unmanaged<WorkerContext>.fromOpaque(context).release()
          break
        }
        workers.append(thread)
      }
      defer {
        team.round.store(stopRound, ordering: .releasing)
        for thread in workers { pthread_join(thread, nil) }
      }
      for r in 0..<rounds {
        try prepare(r)
        team.nextChunk.store(0, ordering: .relaxed)
        team.finished.store(0, ordering: .relaxed)
        team.round.store(r, ordering: .releasing)
        team.takeChunks(r, chunks: chunks, body)
        team.wait(until: workers.count)
      }
    }
  }

  /// What a worker thread is started with.
  private final class WorkerContext {
    let team: RoundTeam
    let chunks: Int
    let body: (Int, Int) -> Void
    init(team: RoundTeam, chunks: Int, body: @escaping (Int, Int) -> Void) {
      self.team = team
      self.chunks = chunks
      self.body = body
    }
  }

  private static let workerEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = {
    serveContext($0!)
  }

  private static func serveContext(_ raw: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
    context.team.serve(chunks: context.chunks, context.body)
    return nil
  }

  /// A worker: waits for each new round, takes chunks until none are left, reports, repeats.
  private func serve(chunks: Int, _ body: (Int, Int) -> Void) {
    var seen = -1
    while true {
      RoundTeam.wait { round.load(ordering: .acquiring) != seen }
      let r = round.load(ordering: .acquiring)
      if r == RoundTeam.stopRound { return }
      seen = r
      takeChunks(r, chunks: chunks, body)
      finished.add(1, ordering: .releasing)
    }
  }

  private func takeChunks(_ r: Int, chunks: Int, _ body: (Int, Int) -> Void) {
    while true {
      let c = nextChunk.add(1, ordering: .relaxed).oldValue
      if c >= chunks { return }
      body(r, c)
    }
  }

  /// Until `count` workers have reported.
  private func wait(until count: Int) {
    RoundTeam.wait { finished.load(ordering: .acquiring) >= count }
  }

  /// Spins until `done()`, yielding the core now and then; after a millisecond (a team sharing the
  /// cores with other work, as in a sweep of layouts) it polls every 50 µs instead, so a waiting
  /// thread does not take the core from the one it waits for.
  private static func wait(_ done: () -> Bool) {
    var spins = 0
    var since: UInt64 = 0
    while !done() {
      spins &+= 1
      guard spins & 63 == 0 else { continue }
      let now = DispatchTime.now().uptimeNanoseconds
      if since == 0 {
        since = now
      } else if now - since > 1_000_000 {
        usleep(50)
        continue
      }
      sched_yield()
    }
  }
}
#endif
