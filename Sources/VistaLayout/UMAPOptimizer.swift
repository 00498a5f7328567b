import VistaCore

/// umap-learn's SGD layout (`optimize_layout_euclidean`), made parallel and still deterministic.
///
/// Each epoch, every edge whose next-sample epoch has come pulls its head towards its tail with
/// coefficient −2ab·d^{2(b−1)}/(1 + a·d^{2b}), and the head is pushed away from
/// floor((n − nextNegative)/epochsPerNegative) random vertices with 2γb/((0.001 + d²)(1 + a·d^{2b})),
/// every gradient component clipped to ±4 and scaled by the learning rate α, which decays
/// linearly over the epochs.
///
/// Parallel and deterministic: edges are grouped by head; a vertex moves only itself and reads the
/// other vertices from a snapshot taken at the start of the epoch, with its own random stream. So
/// the result is identical for any thread count (Hogwild, umap-learn's parallel mode, is not). As
/// umap-learn's `move_other` moves both ends of each of the two stored directions of an edge, a
/// head takes the attraction twice (`attractionFactor` 2) to keep the attraction/repulsion balance.
///
/// Where it departs from umap-learn, for speed (4,000 points × 500 epochs on one core: 0.53 s →
/// 0.28 s; trustworthiness and the gain curve unchanged, bench/umap/README.md):
/// - a head's negative samples for the epoch are a run of consecutive entries of a random
///   arrangement of the tails (`NegativeSamplePool`), not independent draws, and all are computed
///   from where the head stands at the start of the epoch, in vectors (`RepulsionKernel`); their
///   sum is then applied in equal shares, one after each due edge's attraction (umap-learn applies
///   each edge's own samples there, and every edge owes about the same number of them);
/// - the attraction comes from a table (`KernelTable`) instead of `pow` and a division, and the
///   attraction chains of four vertices, of about as many due edges, are walked in step so that
///   the CPU overlaps them (the order vertices are visited in changes nothing: each moves only
///   itself, against the epoch's snapshot).
struct UMAPOptimizer {
  /// Edges grouped by the vertex that moves.
  let graph: WeightedGraph
  let a: Float
  let b: Float
  let repulsion: Float
  let initialAlpha: Float
  let epochs: Int
  let negativeSampleRate: Float
  let attractionFactor: Float
  /// Fit: the tails are the heads themselves (snapshot per epoch); a head drawing itself as a
  /// negative sample is skipped, as any tail where the head stands is (`RepulsionKernel`).
  let tailsAreHeads: Bool
  let seed: UInt64
  let threads: Int

  /// Runs the SGD on `head` (n × 2) against `tail` (m × 2; ignored when tails are heads).
  func optimize(head: inout Matrix, tail fixedTail: Matrix?, progress: Progress, label: String) throws {
    let heads = graph.rows
    let tailCount = tailsAreHeads ? heads : (fixedTail?.rows ?? 0)
    guard graph.edgeCount > 0, epochs > 0, tailCount > 0 else { return }
    let schedule = SampleSchedule(graph: graph, negativeSampleRate: negativeSampleRate, heads: heads, seed: seed)
    defer { schedule.release() }
    let pool = NegativeSamplePool(count: tailCount, seed: seed)
    defer { pool.release() }
    // The positions in buffers that stay put for the whole run, where the workers of every epoch
    // find them: the heads as they move, and the tails as they stood when the epoch began.
    let positions = UnsafeMutablePointer<Float>.allocate(capacity: 2 * heads)
    positions.initialize(from: head.storage, count: 2 * heads)
    let tails = UnsafeMutablePointer<Float>.allocate(capacity: 2 * tailCount)
    tails.initialize(from: (tailsAreHeads ? head : fixedTail!).storage, count: 2 * tailCount)
    defer {
      // Also when interrupted: the layout as far as it got.
      head.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: positions, count: 2 * heads) }
      positions.deallocate()
      tails.deallocate()
    }
    let maxDegree = (0..<heads).reduce(0) { max($0, graph.rowPointers[$1 + 1] - graph.rowPointers[$1]) }
    let chunk = 256
    let chunks = (heads + chunk - 1) / chunk
    // The chunks' buffers, made once: allocating them per chunk and epoch was ~650,000 allocations
    // at 70,000 points.
    let scratch = UnsafeMutableBufferPointer<ChunkScratch>.allocate(capacity: chunks)
    _ = scratch.initialize(from: (0..<chunks).lazy.map { c in
      ChunkScratch(vertices: min(chunk, heads - c * chunk),
                   edges: graph.rowPointers[min(heads, (c + 1) * chunk)] - graph.rowPointers[c * chunk],
                   maxDegree: maxDegree)
    })
    defer {
      scratch.forEach { $0.release() }
      scratch.deallocate()
    }
    let table = KernelTable(a: Double(a), b: Double(b))
    let repulsion = RepulsionKernel(a: a, b: b, scale: 2 * self.repulsion * b)
    let twoB = 2 * b * attractionFactor

    try table.withLookup { kernel in
      try graph.rowPointers.withUnsafeBufferPointer { rp in
        try graph.columns.withUnsafeBufferPointer { cols in
          var pass: EpochPass?
          try parallelRounds(epochs, chunks: chunks, threads: threads, prepare: { epoch in
            try progress.checkCancelled()
            progress.update(label, Double(epoch) / Double(epochs))
            if tailsAreHeads { tails.update(from: positions, count: 2 * heads) }
            pool.arrange(tails, epoch: epoch)
            // umap-learn's schedule: α after epoch e is α₀·(1 − e/epochs).
            let alpha = epoch == 0 ? initialAlpha : initialAlpha * (1 - Float(epoch - 1) / Float(epochs))
            pass = EpochPass(
              epoch: Float(epoch), alpha: alpha, twoB: twoB, tailsAreHeads: tailsAreHeads, tailCount: tailCount,
              head: positions, tail: tails, rowPointers: rp.baseAddress!, columns: cols.baseAddress!,
              schedule: schedule, poolX: pool.x, poolY: pool.y, attraction: kernel,
              repulsion: repulsion)
          }) { _, c in
            let pass = pass!
            let lo = c * chunk, end = min(heads, lo + chunk)
            // 1. Every vertex's due edges and their repulsion.
            for v in lo..<end {
              scratch[c].due[v - lo] = Int32(pass.prepare(v, position: v - lo, base: rp[v] - rp[lo], &scratch[c]))
            }
            // 2. The attraction chains (every sample moves the head the next one starts from), four
            //    in step so that the CPU overlaps them; with the longest together, so that the four
            //    run about as long. Vertices move only themselves: the order changes nothing.
            let order = scratch[c].orderByDue(count: end - lo)
            var g = 0
            while g + 4 <= order.count {
              pass.walk(lo, rp, order.baseAddress! + g, scratch[c])
              g += 4
            }
            while g < order.count {
              pass.walk(lo, rp, order[g], scratch[c])
              g += 1
            }
          }
        }
      }
    }
    progress.update(label, 1)
  }
}

/// When each edge is next sampled and owes negative samples (umap-learn's epochs_per_sample
/// bookkeeping), and each head's random stream.
private struct SampleSchedule {
  /// One edge's bookkeeping, together in 16 bytes: the due test reads `next` of every edge each
  /// epoch, and a due edge then needs the rest from the same cache line.
  struct Edge {
    var next: Float
    let period: Float
    var nextNegative: Float
    /// Negative samples per epoch (the negative sample rate over the period).
    let negativeRate: Float
  }

  let edges: UnsafeMutablePointer<Edge>
  let random: UnsafeMutablePointer<UInt64>

  init(graph: WeightedGraph, negativeSampleRate: Float, heads: Int, seed: UInt64) {
    let maxWeight = graph.maxWeight
    edges = .allocate(capacity: graph.edgeCount)
    for (e, w) in graph.weights.enumerated() {
      let period: Float = w > 0 ? maxWeight / w : -1
      // negative_sample_rate 0: no edge ever owes one (a finite "never", so no 0 · ∞ = NaN).
      let rate = max(0, negativeSampleRate)
      edges[e] = Edge(next: period, period: period,
                      nextNegative: rate > 0 ? period / rate : .greatestFiniteMagnitude,
                      negativeRate: rate / period)
    }
    random = .allocate(capacity: max(1, heads))
    for v in 0..<heads { random[v] = mix64(seed ^ (UInt64(v) &* 0xD6E8_FEB8_6659_FD93)) }
  }

  func release() {
    edges.deallocate()
    random.deallocate()
  }
}

/// One epoch's view of the optimizer's buffers, for the workers.
private struct EpochPass {
  let epoch: Float
  let alpha: Float
  let twoB: Float
  /// Fit: `tail` is the epoch's snapshot of `head`.
  let tailsAreHeads: Bool
  let tailCount: Int
  let head: UnsafeMutablePointer<Float>
  let tail: UnsafePointer<Float>
  let rowPointers: UnsafePointer<Int>
  let columns: UnsafePointer<Int32>
  let schedule: SampleSchedule
  let poolX: UnsafePointer<Float>
  let poolY: UnsafePointer<Float>
  let attraction: KernelLookup
  let repulsion: RepulsionKernel

  /// Settles vertex v's edge samples this epoch and computes their repulsion, into `scratch` (at
  /// `position` in the chunk; its due edges' tails from slot `base` on); returns how many are due.
  @inline(__always) func prepare(_ v: Int, position: Int, base: Int, _ scratch: inout ChunkScratch) -> Int {
    let n = epoch, s = schedule
    // What skips a head's own negative sample (`RepulsionKernel`): its repulsion is computed before
    // it moves in the epoch, so it still stands exactly on its pool entry.
    assert(!tailsAreHeads || (head[2 * v].bitPattern == tail[2 * v].bitPattern
                              && head[2 * v + 1].bitPattern == tail[2 * v + 1].bitPattern),
           "vertex \(v) moved before its repulsion")
    // 1. The edges due, collected without a branch (whether an edge is due follows no pattern a
    //    predictor could learn), and how many negative samples each owes.
    var due = 0, owed = 0
    for e in rowPointers[v]..<rowPointers[v + 1] {
      scratch.edge[due] = e
      due &+= Int(truncatingIfNeeded: ~(n - s.edges[e].next).bitPattern >> 31)  // next <= n
    }
    for k in 0..<due {
      let e = scratch.edge[k]
      let owes = (n - s.edges[e].nextNegative) * s.edges[e].negativeRate
      let count = owes >= 1 ? Int(owes) : 0
      owed += count
      s.edges[e].next += s.edges[e].period
      if count > 0 { s.edges[e].nextNegative += Float(count) / s.edges[e].negativeRate }
    }
    // 2. All its negative samples, a run of the pool from a random start, pushing the head from where
    //    it stands at the start of the epoch: independent of one another, so computed as vector
    //    arithmetic, in whole vectors (the pool is padded for it; a vectorized loop leaves its
    //    remainder to scalar code, a quarter of the samples here), and summed.
    var pushX: Float = 0, pushY: Float = 0
    if owed > 0 {
      scratch.reserve(owed + NegativeSamplePool.padding)
      var start = negativeSample(&s.random[v], count: tailCount), done = 0
      while done < owed {
        let run = min(owed - done, tailCount - start)
        repulsion.gradients(
          x: head[2 * v], y: head[2 * v + 1], poolX: poolX + start, poolY: poolY + start,
          count: NegativeSamplePool.roundedUp(run), valid: run,
          outX: scratch.pushX + done, outY: scratch.pushY + done)
        if done > 0 {
          // A second run (the first reached the pool's end) may stop short of the last whole vector.
          for i in owed..<NegativeSamplePool.roundedUp(owed) { scratch.pushX[i] = 0; scratch.pushY[i] = 0 }
        }
        done += run
        start = 0
      }
      (pushX, pushY) = RepulsionKernel.total(x: scratch.pushX, y: scratch.pushY, count: NegativeSamplePool.roundedUp(owed))
    }
    // Each due edge's step applies an equal share, α-scaled here, off the chain of step 3.
    let share = due > 0 ? alpha / Float(due) : 0
    scratch.shareX[position] = pushX * share
    scratch.shareY[position] = pushY * share
    for k in 0..<due { scratch.tail[base + k] = columns[scratch.edge[k]] }
    return due
  }

  /// 3. Edge by edge, as in umap-learn: the attraction from where the head stands now plus the
  /// edge's share of the head's repulsion; four vertices in step (`group`: positions in the chunk, in
  /// descending order of their due edges).
  @inline(__always) func walk(_ lo: Int, _ rp: UnsafeBufferPointer<Int>, _ group: UnsafePointer<Int32>,
                              _ scratch: ChunkScratch) {
    let v0 = Int(group[0]), v1 = Int(group[1]), v2 = Int(group[2]), v3 = Int(group[3])
    let due0 = Int(scratch.due[v0]), due1 = Int(scratch.due[v1]), due2 = Int(scratch.due[v2]), due3 = Int(scratch.due[v3])
    let b0 = rp[lo + v0] - rp[lo], b1 = rp[lo + v1] - rp[lo], b2 = rp[lo + v2] - rp[lo], b3 = rp[lo + v3] - rp[lo]
    let h0 = head + 2 * (lo + v0), h1 = head + 2 * (lo + v1), h2 = head + 2 * (lo + v2), h3 = head + 2 * (lo + v3)
    var x0 = h0[0], y0 = h0[1], x1 = h1[0], y1 = h1[1], x2 = h2[0], y2 = h2[1], x3 = h3[0], y3 = h3[1]
    let sx0 = scratch.shareX[v0], sy0 = scratch.shareY[v0], sx1 = scratch.shareX[v1], sy1 = scratch.shareY[v1]
    let sx2 = scratch.shareX[v2], sy2 = scratch.shareY[v2], sx3 = scratch.shareX[v3], sy3 = scratch.shareY[v3]
    var k = 0
    while k < due3 {
      step(&x0, &y0, sx0, sy0, scratch, b0 + k)
      step(&x1, &y1, sx1, sy1, scratch, b1 + k)
      step(&x2, &y2, sx2, sy2, scratch, b2 + k)
      step(&x3, &y3, sx3, sy3, scratch, b3 + k)
      k += 1
    }
    while k < due2 {
      step(&x0, &y0, sx0, sy0, scratch, b0 + k)
      step(&x1, &y1, sx1, sy1, scratch, b1 + k)
      step(&x2, &y2, sx2, sy2, scratch, b2 + k)
      k += 1
    }
    while k < due1 {
      step(&x0, &y0, sx0, sy0, scratch, b0 + k)
      step(&x1, &y1, sx1, sy1, scratch, b1 + k)
      k += 1
    }
    while k < due0 {
      step(&x0, &y0, sx0, sy0, scratch, b0 + k)
      k += 1
    }
    h0[0] = x0; h0[1] = y0
    h1[0] = x1; h1[1] = y1
    h2[0] = x2; h2[1] = y2
    h3[0] = x3; h3[1] = y3
  }

  /// The same for one vertex (position `v` in the chunk).
  @inline(__always) func walk(_ lo: Int, _ rp: UnsafeBufferPointer<Int>, _ v: Int32, _ scratch: ChunkScratch) {
    let v = Int(v), due = Int(scratch.due[v]), base = rp[lo + v] - rp[lo]
    let h = head + 2 * (lo + v)
    var x = h[0], y = h[1]
    let sx = scratch.shareX[v], sy = scratch.shareY[v]
    for k in 0..<due { step(&x, &y, sx, sy, scratch, base + k) }
    h[0] = x; h[1] = y
  }

  @inline(__always) private func step(_ hx: inout Float, _ hy: inout Float, _ shareX: Float, _ shareY: Float,
                                      _ scratch: ChunkScratch, _ slot: Int) {
    let other = Int(scratch.tail[slot])
    let dx = hx - tail[2 * other], dy = hy - tail[2 * other + 1]
    let d2 = dx * dx + dy * dy
    var gx: Float = 0, gy: Float = 0
    if d2 > 0 {
      let coefficient = -twoB * attraction.attraction(d2)
      gx = clip(coefficient * dx)
      gy = clip(coefficient * dy)
    }
    // The share first: it does not wait for the gradient, so the chain is one addition shorter.
    hx = (hx + shareX) + alpha * gx
    hy = (hy + shareY) + alpha * gy
  }
}

/// One chunk's buffers for an epoch: per vertex, its due edges' tails (in the vertex's own range of
/// slots, one per edge), how many are due and its share of repulsion; and one vertex's transient
/// buffers: its due edges and the repulsion of each of its negative samples.
private struct ChunkScratch {
  let tail: UnsafeMutablePointer<Int32>
  /// Per vertex: α times its share of its repulsion (the epoch's total over its due edges).
  let shareX: UnsafeMutablePointer<Float>
  let shareY: UnsafeMutablePointer<Float>
  let due: UnsafeMutablePointer<Int32>
  let edge: UnsafeMutablePointer<Int>
  private(set) var pushX: UnsafeMutablePointer<Float>
  private(set) var pushY: UnsafeMutablePointer<Float>
  private var capacity: Int
  /// Vertices by due count (`orderByDue`), and the counting sort's tally.
  private let order: UnsafeMutablePointer<Int32>
  private let tally: UnsafeMutablePointer<Int32>
  private let maxDegree: Int

  init(vertices: Int, edges: Int, maxDegree: Int) {
    let edges = max(1, edges), degree = max(1, maxDegree)
    tail = .allocate(capacity: edges)
    shareX = .allocate(capacity: vertices)
    shareY = .allocate(capacity: vertices)
    due = .allocate(capacity: vertices)
    order = .allocate(capacity: vertices)
    self.maxDegree = degree
    tally = .allocate(capacity: degree + 1)
    edge = .allocate(capacity: degree)
    capacity = 8 * degree + NegativeSamplePool.padding
    pushX = .allocate(capacity: capacity)
    pushY = .allocate(capacity: capacity)
  }

  /// Makes room for `count` samples.
  mutating func reserve(_ count: Int) {
    guard count > capacity else { return }
    pushX.deallocate()
    pushY.deallocate()
    capacity = max(count, 2 * capacity)
    pushX = .allocate(capacity: capacity)
    pushY = .allocate(capacity: capacity)
  }

  /// The first `count` vertices with a due edge, most due first (ties: lower position first): a
  /// counting sort, as a comparison sort of each chunk every epoch cost more than it saved.
  func orderByDue(count: Int) -> UnsafeBufferPointer<Int32> {
    tally.initialize(repeating: 0, count: maxDegree + 1)
    for v in 0..<count { tally[maxDegree - Int(due[v])] += 1 }
    // Starting slots, most due first; vertices with none due come last and are left out.
    let withDue = count - Int(tally[maxDegree])
    var running: Int32 = 0
    for d in 0...maxDegree {
      let c = tally[d]
      tally[d] = running
      running += c
    }
    for v in 0..<count {
      let d = maxDegree - Int(due[v])
      order[Int(tally[d])] = Int32(v)
      tally[d] += 1
    }
    return UnsafeBufferPointer(start: order, count: withDue)
  }

  func release() {
    tail.deallocate()
    shareX.deallocate()
    shareY.deallocate()
    due.deallocate()
    order.deallocate()
    tally.deallocate()
    edge.deallocate()
    pushX.deallocate()
    pushY.deallocate()
  }
}

@inline(__always) func clip(_ v: Float) -> Float { min(4, max(-4, v)) }

/// The optimizer's negative-sample draw: advances the per-vertex generator `state` (a Weyl step) and
/// maps its mixed bits to a vertex in 0..<count.
@inline(__always) func negativeSample(_ state: inout UInt64, count: Int) -> Int {
  state &+= 0x9E37_79B9_7F4A_7C15
  return uniformIndex(mix64(state), count: count)
}

/// Maps 64 random bits to 0..<count (Lemire's multiply-shift on the high 32 bits).
@inline(__always) func uniformIndex(_ bits: UInt64, count: Int) -> Int {
  Int(((bits >> 32) &* UInt64(count)) >> 32)
}
