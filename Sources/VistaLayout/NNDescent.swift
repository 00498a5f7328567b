import VistaCore

/// Approximate k-nearest neighbours by nearest-neighbour descent (Dong, Moses & Li 2011), started
/// from a random-projection-tree forest, with pynndescent's defaults.
///
/// Deterministic for a seed at any thread count: candidate sampling uses a hash of
/// (seed, iteration, pair), distances are computed in parallel from a frozen state, and the
/// resulting heap updates keep "the k smallest distinct (distance, index) pairs", a result that
/// does not depend on the order updates are applied in.
enum NNDescent {
  static func search(_ input: LayoutInput, k: Int, metric: Metric, includeSelf: Bool,
                     options: KNNOptions, progress: Progress) throws -> KNNGraph {
    let n = input.rows
    let rows = PreparedRows(input, metric: metric, asReference: false)
    let others = includeSelf ? k - 1 : k
    guard others >= 1 else {
      return KNNGraph(indices: (0..<n).map { Int32($0) }, distances: [Float](repeating: 0, count: n), n: n, k: 1, includesSelf: true)
    }
    let threads = max(1, options.threads)
    let trees = options.trees ?? min(64, 5 + Int((Double(n).squareRoot() / 20).rounded()))
    let iterations = options.iterations ?? max(5, Int(LibM.log2(Double(n)).rounded()))
    // Squared euclidean ranks like euclidean and skips a square root per pair.
    let squared = metric == .euclidean
    return try rows.withPairKernel { kernel in
      try descend(rows: rows, kernel: kernel, n: n, k: k, others: others, includeSelf: includeSelf, squared: squared,
                  trees: trees, iterations: iterations, threads: threads, options: options, progress: progress)
    }
  }

  private static func descend(rows: PreparedRows, kernel: PairKernel, n: Int, k: Int, others: Int, includeSelf: Bool,
                              squared: Bool, trees: Int, iterations: Int, threads: Int, options: KNNOptions,
                              progress: Progress) throws -> KNNGraph {
    @inline(__always) func dist(_ i: Int, _ j: Int) -> Float { kernel.rankingDistance(i, j) }

    var heaps = NeighborHeaps(n: n, k: others)
    // 1. Leaves of the forest: all pairs inside each leaf.
    try progress.checkCancelled()
    progress.update("nearest neighbours (trees)", 0)
    let forest = RPTreeForest(rows: treeRows(rows, seed: options.seed), trees: trees, leafSize: max(10, min(60, k)),
                              seed: options.seed, threads: threads)
    let leafOrder = regionOrder(forest)
    let leafUpdates = parallelUpdates(count: forest.leaves.count, threads: threads) { l, emit in
      let leaf = forest.leaves[Int(leafOrder[l])]
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: leaf.count + 3) { list in
        _ = list.initialize(from: leaf)
        forEachPair(list.baseAddress!, leading: leaf.count, count: leaf.count, kernel: kernel, emit)
      }
    }
    heaps.apply(leafUpdates, threads: threads)
    // Points never reached (cannot happen with a forest, kept for safety): random fill.
    var fill = SeededGenerator.stream(seed: options.seed, index: 0xF111)
    for i in 0..<n where heaps.count(i) < others {
      while heaps.count(i) < others {
        let j = Int(fill.next() % UInt64(n))
        if j != i { heaps.push(i, Int32(j), dist(i, j), isNew: true) }
      }
    }

    // 2. Descent.
    let order = forest.localityOrder ?? (0..<n).map { Int32($0) }
    let maxCandidates = max(1, options.maxCandidates)
    var newCandidates = CandidateLists(n: n, capacity: maxCandidates)
    var oldCandidates = CandidateLists(n: n, capacity: maxCandidates)
    for iteration in 0..<iterations {
      try progress.checkCancelled()
      progress.update("nearest neighbours (descent)", Double(iteration) / Double(iterations))
      heaps.sampleCandidates(into: &newCandidates, &oldCandidates,
                             seed: options.seed &+ UInt64(iteration) &* 0x9E37_79B9, threads: threads)
      let bounds = heaps.bounds()
      // Points are visited leaf by leaf of the first tree: neighbouring points share most of their
      // candidates, whose rows then come from cache (search on 70,000 × 784: 4.4 s → 3.7 s).
      let updates = parallelUpdates(count: n, threads: threads) { position, emit in
        let i = Int(order[position])
        let newList = newCandidates.list(i), oldList = oldCandidates.list(i)
        // New × new and new × old, as pynndescent's local join.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: newList.count + oldList.count + 3) { list in
          var end = list.initialize(from: newList).1
          end = list[end...].initialize(from: oldList).1
          forEachPair(list.baseAddress!, leading: newList.count, count: end, kernel: kernel) { p, q, d in
            if d <= bounds[Int(p)] || d <= bounds[Int(q)] { emit(p, q, d) }
          }
        }
      }
      let changed = heaps.apply(updates, threads: threads)
      if Double(changed) <= options.delta * Double(n) * Double(others) { break }
    }
    progress.update("nearest neighbours (descent)", 1)

    // 3. Sorted output.
    var indices = [Int32](repeating: 0, count: n * k)
    var distances = [Float](repeating: 0, count: n * k)
    let offset = includeSelf ? 1 : 0
    for i in 0..<n {
      let sorted = heaps.sortedRow(i)
      if includeSelf { indices[i * k] = Int32(i); distances[i * k] = 0 }
      for (e, (d, j)) in sorted.enumerated() {
        indices[i * k + offset + e] = j
        distances[i * k + offset + e] = squared ? d.squareRoot() : d
      }
    }
    return KNNGraph(indices: indices, distances: distances, n: n, k: k, includesSelf: includeSelf)
  }

  /// Each pair of `list` whose first member is among its first `leading` entries: the pairs within
  /// that part, and each of its entries with every later entry (a point is never paired with
  /// itself). Dense rows go through 4 × 4 `DotTile`s, sparse rows pair by pair. `list` must have
  /// room for three more entries (a tile's padding).
  @inline(__always)
  static func forEachPair(_ list: UnsafeMutablePointer<Int32>, leading: Int, count: Int, kernel: PairKernel,
                          _ body: (Int32, Int32, Float) -> Void) {
    guard count > 1, leading > 0 else { return }
    guard let rows = kernel.dense else {
      for a in 0..<leading {
        let p = list[a]
        for b in (a + 1)..<count where list[b] != p { body(p, list[b], kernel.rankingDistance(Int(p), Int(list[b]))) }
      }
      return
    }
    // Pad to whole tiles with the first entry; padded slots are never reported.
    for e in count..<((count + 3) & ~3) { list[e] = list[0] }
    var products = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0),
                    Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
    withUnsafeMutableBytes(of: &products) { raw in
      let out = raw.baseAddress!.assumingMemoryBound(to: Float.self)
      for r0 in stride(from: 0, to: leading, by: 4) {
        // Tiles on and right of the diagonal: the pairs within the leading part once, then the rest.
        for c0 in stride(from: r0, to: count, by: 4) {
          DotTile.compute(rows: rows, cols: kernel.cols, p: list + r0, q: list + c0, out: out)
          for a in 0..<min(4, leading - r0) {
            let r = r0 + a, p = list[r]
            for b in 0..<min(4, count - c0) {
              let c = c0 + b, q = list[c]
              if c < leading ? c <= r : q == p { continue }
              body(p, q, kernel.rankingDistance(Int(p), Int(q), innerProduct: out[4 * a + b]))
            }
          }
        }
      }
    }
  }

  /// The forest's leaves ordered by region, so that the leaves of different trees that share
  /// points are visited together and their rows come from cache (tree after tree, every tree read
  /// all rows from memory: 18 × 220 MB at 70,000 × 784). A leaf's key is the first position of its
  /// points in the first tree's leaf order.
  static func regionOrder(_ forest: RPTreeForest) -> [Int32] {
    guard let order = forest.localityOrder else { return (0..<forest.leaves.count).map { Int32($0) } }
    var position = [Int32](repeating: 0, count: order.count)
    for (p, i) in order.enumerated() { position[Int(i)] = Int32(p) }
    let keys = (0..<forest.leaves.count).map { l in
      (UInt64(UInt32(forest.leaves[l].lazy.map { position[Int($0)] }.min() ?? 0)) << 32) | UInt64(l)
    }
    return keys.sorted().map { Int32(truncatingIfNeeded: $0) }
  }

  /// The rows the trees split. Wide dense rows are first multiplied (one GEMM) by a seeded Gaussian
  /// matrix down to 64 dimensions, which keeps distances and angles roughly (Johnson–Lindenstrauss):
  /// every tree level streams every row, and at 784 dimensions that memory traffic was 40 % of the
  /// whole search. The trees only propose candidates; NN-descent then works on exact distances.
  static func treeRows(_ rows: PreparedRows, seed: UInt64) -> PreparedRows {
    let target = 64
    guard case .dense(let m) = rows.storage, m.cols > 2 * target else { return rows }
    var rng = SeededGenerator.stream(seed: seed, index: 0x7EE5)
    let projection = Matrix(rows: m.cols, cols: target,
                            storage: (0..<(m.cols * target)).map { _ in Float(rng.nextGaussian()) })
    let projected = BLAS.multiply(m, projection)
    return PreparedRows(.dense(projected), metric: rows.metric == .euclidean ? .euclidean : .cosine, asReference: false)
  }

  /// Runs `body(item, emit)` over `count` items in fixed chunks and returns the emitted (p, q, d)
  /// triples per chunk, in chunk order.
  static func parallelUpdates(count: Int, threads: Int,
                              _ body: (Int, (Int32, Int32, Float) -> Void) -> Void) -> [[PairUpdate]] {
    let chunk = 256
    let chunks = (count + chunk - 1) / chunk
    var out = [[PairUpdate]](repeating: [], count: chunks)
    out.withUnsafeMutableBufferPointer { buffers in
      parallelFor(chunks, threads: threads) { c in
        var local: [PairUpdate] = []
        for item in (c * chunk)..<min(count, (c + 1) * chunk) {
          body(item) { p, q, d in local.append(PairUpdate(p: p, q: q, distance: d)) }
        }
        buffers[c] = local
      }
    }
    return out
  }
}

/// Up to `capacity` sampled candidates per point, flat: (priority, index) slots and a count per point.
struct CandidateLists {
  let n: Int
  let capacity: Int
  var priorities: [UInt64]
  var indices: [Int32]
  var counts: [Int32]

  /// Empty lists. The slots are left uninitialised (only the first `counts[i]` of a row are ever
  /// read): at 70,000 points and 60 candidates, zero-filling them cost 50 MB of page faults and
  /// memset per list and iteration.
  init(n: Int, capacity: Int) {
    self.n = n
    self.capacity = capacity
    priorities = [UInt64](unsafeUninitializedCapacity: n * capacity) { _, count in count = n * capacity }
    indices = [Int32](unsafeUninitializedCapacity: n * capacity) { _, count in count = n * capacity }
    counts = [Int32](repeating: 0, count: n)
  }

  /// Empties every list, keeping the storage for the next iteration.
  mutating func removeAll() {
    counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }

  /// Point i's candidates, in the order they were first kept.
  func list(_ i: Int) -> ArraySlice<Int32> { indices[(i * capacity)..<(i * capacity + Int(counts[i]))] }

  /// Runs `body` with raw writers over the slots (valid only inside `body`).
  mutating func withUnsafeMutable<R>(_ body: (Writer) -> R) -> R {
    let capacity = self.capacity
    return priorities.withUnsafeMutableBufferPointer { p in
      indices.withUnsafeMutableBufferPointer { x in
        counts.withUnsafeMutableBufferPointer { c in
          body(Writer(capacity: capacity, priorities: p.baseAddress!, indices: x.baseAddress!, counts: c.baseAddress!))
        }
      }
    }
  }

  /// Raw access for the parallel fill; each point's slots are written by one thread only.
  struct Writer: @unchecked Sendable {
    let capacity: Int
    let priorities: UnsafeMutablePointer<UInt64>
    let indices: UnsafeMutablePointer<Int32>
    let counts: UnsafeMutablePointer<Int32>

    /// Keeps the `capacity` smallest distinct (priority, index) pairs offered to point i.
    @inline(__always) func offer(_ i: Int, _ priority: UInt64, _ j: Int32) {
      let base = i * capacity
      let count = Int(counts[i])
      for e in 0..<count where indices[base + e] == j { return }
      if count < capacity {
        priorities[base + count] = priority
        indices[base + count] = j
        counts[i] = Int32(count + 1)
        return
      }
      var worst = 0
      for e in 1..<count where (priorities[base + e], indices[base + e]) > (priorities[base + worst], indices[base + worst]) {
        worst = e
      }
      if (priority, j) < (priorities[base + worst], indices[base + worst]) {
        priorities[base + worst] = priority
        indices[base + worst] = j
      }
    }

    /// Whether j is among point i's kept candidates.
    @inline(__always) func contains(_ i: Int, _ j: Int32) -> Bool {
      let base = i * capacity
      for e in 0..<Int(counts[i]) where indices[base + e] == j { return true }
      return false
    }
  }
}

struct PairUpdate {
  var p: Int32
  var q: Int32
  var distance: Float
}

/// One bounded max-heap of (distance, index, new-flag) per point, in flat arrays.
struct NeighborHeaps {
  let n: Int
  let k: Int
  var distances: [Float]
  var indices: [Int32]
  var isNew: [Bool]
  var counts: [Int]

  init(n: Int, k: Int) {
    self.n = n
    self.k = k
    distances = [Float](repeating: .infinity, count: n * k)
    indices = [Int32](repeating: -1, count: n * k)
    isNew = [Bool](repeating: false, count: n * k)
    counts = [Int](repeating: 0, count: n)
  }

  func count(_ i: Int) -> Int { counts[i] }

  /// Each heap's worst kept distance (+∞ while not full).
  func bounds() -> [Float] {
    (0..<n).map { counts[$0] < k ? .infinity : distances[$0 * k] }
  }

  /// Adds (j, d) to i's heap unless it is already there or not among the k best; true if kept.
  @discardableResult
  mutating func push(_ i: Int, _ j: Int32, _ d: Float, isNew flag: Bool) -> Bool {
    let base = i * k
    return distances.withUnsafeMutableBufferPointer { dist in
      indices.withUnsafeMutableBufferPointer { idx in
        isNew.withUnsafeMutableBufferPointer { fresh in
          NeighborHeaps.push(base: base, k: k, count: &counts[i], dist.baseAddress!, idx.baseAddress!, fresh.baseAddress!, j, d, flag)
        }
      }
    }
  }

  @inline(__always)
  static func push(base: Int, k: Int, count: inout Int, _ dist: UnsafeMutablePointer<Float>,
                   _ idx: UnsafeMutablePointer<Int32>, _ fresh: UnsafeMutablePointer<Bool>,
                   _ j: Int32, _ d: Float, _ flag: Bool) -> Bool {
    let h = dist + base, hi = idx + base, hf = fresh + base
    if count == k && !TopKSelection.less(d, j, h[0], hi[0]) { return false }
    for e in 0..<count where hi[e] == j { return false }
    var c: Int
    if count < k {
      c = count
      count += 1
      while c > 0 {
        let parent = (c - 1) / 2
        if TopKSelection.less(h[parent], hi[parent], d, j) {
          h[c] = h[parent]; hi[c] = hi[parent]; hf[c] = hf[parent]; c = parent
        } else { break }
      }
    } else {
      c = 0
      while true {
        let l = 2 * c + 1
        if l >= k { break }
        var m = l
        if l + 1 < k && TopKSelection.less(h[l], hi[l], h[l + 1], hi[l + 1]) { m = l + 1 }
        if TopKSelection.less(d, j, h[m], hi[m]) {
          h[c] = h[m]; hi[c] = hi[m]; hf[c] = hf[m]; c = m
        } else { break }
      }
    }
    h[c] = d; hi[c] = j; hf[c] = flag
    return true
  }

  /// Applies symmetric updates (q into p's heap, p into q's heap). Each thread owns a range of
  /// target points and scans every buffer, so no heap is touched by two threads.
  @discardableResult
  mutating func apply(_ updates: [[PairUpdate]], threads: Int) -> Int {
    let parts = max(1, min(threads, 8))
    var changedPerPart = [Int](repeating: 0, count: parts)
    let n = self.n, k = self.k
    distances.withUnsafeMutableBufferPointer { dist in
      indices.withUnsafeMutableBufferPointer { idx in
        isNew.withUnsafeMutableBufferPointer { fresh in
          counts.withUnsafeMutableBufferPointer { cnt in
            changedPerPart.withUnsafeMutableBufferPointer { changed in
              parallelFor(parts, threads: threads) { part in
                let lo = part * n / parts, hi = (part + 1) * n / parts
                var local = 0
                for buffer in updates {
                  for u in buffer {
                    let p = Int(u.p), q = Int(u.q)
                    if p >= lo && p < hi,
                       NeighborHeaps.push(base: p * k, k: k, count: &cnt[p], dist.baseAddress!, idx.baseAddress!,
                                          fresh.baseAddress!, u.q, u.distance, true) { local += 1 }
                    if q >= lo && q < hi,
                       NeighborHeaps.push(base: q * k, k: k, count: &cnt[q], dist.baseAddress!, idx.baseAddress!,
                                          fresh.baseAddress!, u.p, u.distance, true) { local += 1 }
                  }
                }
                changed[part] = local
              }
            }
          }
        }
      }
    }
    return changedPerPart.reduce(0, +)
  }

  /// pynndescent's candidate building: each point's new and old neighbours, forward and reverse,
  /// keeping at most `maxCandidates` of each by a hashed random priority; new neighbours that were
  /// sampled are then marked old.
  ///
  /// Parallel by owner: each thread scans every edge but only fills the lists of its own range of
  /// points, in the same edge order as a serial pass, so every list (contents and order) is the
  /// same at any thread count.
  mutating func sampleCandidates(into newLists: inout CandidateLists, _ oldLists: inout CandidateLists,
                                 seed: UInt64, threads: Int) {
    newLists.removeAll()
    oldLists.removeAll()
    let n = self.n, k = self.k
    let parts = max(1, min(threads, 8))
    indices.withUnsafeBufferPointer { idx in
      counts.withUnsafeBufferPointer { cnt in
        isNew.withUnsafeMutableBufferPointer { fresh in
          newLists.withUnsafeMutable { newL in
            oldLists.withUnsafeMutable { oldL in
              parallelFor(parts, threads: threads) { part in
                let lo = part * n / parts, hi = (part + 1) * n / parts
                for i in 0..<n {
                  let ownsI = i >= lo && i < hi
                  for e in 0..<cnt[i] {
                    let j = idx[i * k + e]
                    let ownsJ = Int(j) >= lo && Int(j) < hi
                    if !ownsI && !ownsJ { continue }
                    let a = UInt64(min(i, Int(j))), b = UInt64(max(i, Int(j)))
                    let priority = mix64(seed ^ (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F))
                    let target = fresh[i * k + e] ? newL : oldL
                    if ownsI { target.offer(i, priority, j) }
                    if ownsJ { target.offer(Int(j), priority, Int32(i)) }
                  }
                }
              }
              // Only after every offer has read the flags.
              parallelFor(parts, threads: threads) { part in
                let lo = part * n / parts, hi = (part + 1) * n / parts
                for i in lo..<hi {
                  for e in 0..<cnt[i] where fresh[i * k + e] {
                    if newL.contains(i, idx[i * k + e]) { fresh[i * k + e] = false }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Row i's (distance, index) pairs, ascending.
  func sortedRow(_ i: Int) -> [(Float, Int32)] {
    (0..<counts[i]).map { (distances[i * k + $0], indices[i * k + $0]) }
      .sorted { TopKSelection.less($0.0, $0.1, $1.0, $1.1) }
  }
}

/// SplitMix64's finaliser: a fast, well-mixed 64-bit hash.
@inline(__always)
func mix64(_ x: UInt64) -> UInt64 {
  var z = x &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
