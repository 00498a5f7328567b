import VistaCore

/// umap-learn's SGD layout (`optimize_layout_euclidean`), made parallel and still deterministic.
///
/// The kernel terms come from `KernelTable`: a table lookup instead of `pow` and a division made
/// the SGD 5x faster (4,000 points, 500 epochs: 1.4 s → 0.3 s on one core).
///
/// Each epoch, every edge whose next-sample epoch has come pulls its head towards its tail with
/// coefficient −2ab·d^{2(b−1)}/(1 + a·d^{2b}), then the head is pushed away from
/// floor((n − nextNegative)/epochsPerNegative) random vertices with 2γb/((0.001 + d²)(1 + a·d^{2b})),
/// every gradient component clipped to ±4 and scaled by the learning rate α, which decays
/// linearly over the epochs.
///
/// Parallel and deterministic: edges are grouped by head; a vertex moves only itself and reads the
/// other vertices from a snapshot taken at the start of the epoch, with its own random stream. So
/// the result is identical for any thread count (Hogwild, umap-learn's parallel mode, is not). As
/// umap-learn's `move_other` moves both ends of each of the two stored directions of an edge, a
/// head takes the attraction twice (`attractionFactor` 2) to keep the attraction/repulsion balance.
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
  /// Fit: the tails are the heads themselves (snapshot per epoch) and self-negatives are skipped.
  let tailsAreHeads: Bool
  let seed: UInt64
  let threads: Int

  /// Runs the SGD on `head` (n × 2) against `tail` (m × 2; ignored when tails are heads).
  func optimize(head: inout Matrix, tail fixedTail: Matrix?, progress: Progress, label: String) throws {
    let heads = graph.rows
    let tailCount = tailsAreHeads ? heads : (fixedTail?.rows ?? 0)
    let edges = graph.edgeCount
    guard edges > 0, epochs > 0, tailCount > 0 else { return }
    let maxWeight = graph.maxWeight
    let epochsPerSample = graph.weights.map { $0 > 0 ? maxWeight / $0 : -1 }
    var nextSample = epochsPerSample
    let epochsPerNegative = epochsPerSample.map { $0 / negativeSampleRate }
    var nextNegative = epochsPerNegative
    var randomState = (0..<heads).map { mix64(seed ^ (UInt64($0) &* 0xD6E8_FEB8_6659_FD93)) }
    var snapshot = tailsAreHeads ? head : fixedTail!
    let chunk = 256
    let chunks = (heads + chunk - 1) / chunk
    var alpha = initialAlpha
    let twoB = 2 * b * attractionFactor, repulse = 2 * repulsion * b
    let table = KernelTable(a: Double(a), b: Double(b))
    let skipSelf = tailsAreHeads

    try table.withLookup { kernel in
    for epoch in 0..<epochs {
      try progress.checkCancelled()
      progress.update(label, Double(epoch) / Double(epochs))
      if tailsAreHeads { snapshot.storage = head.storage }
      let n = Float(epoch)
      let stepAlpha = alpha
      head.storage.withUnsafeMutableBufferPointer { h in
        snapshot.storage.withUnsafeBufferPointer { t in
          graph.rowPointers.withUnsafeBufferPointer { rp in
            graph.columns.withUnsafeBufferPointer { cols in
              epochsPerSample.withUnsafeBufferPointer { eps in
                epochsPerNegative.withUnsafeBufferPointer { epn in
                  nextSample.withUnsafeMutableBufferPointer { next in
                    nextNegative.withUnsafeMutableBufferPointer { nextNeg in
                      randomState.withUnsafeMutableBufferPointer { rng in
                        parallelFor(chunks, threads: threads) { c in
                          for v in (c * chunk)..<min(heads, (c + 1) * chunk) {
                            var hx = h[2 * v], hy = h[2 * v + 1]
                            var state = rng[v]
                            for e in rp[v]..<rp[v + 1] where next[e] <= n {
                              // One edge sample: the attraction and its negative samples are all
                              // computed from the head's position before them and applied together,
                              // independent computations the CPU overlaps instead of one long
                              // dependency chain (about 3x faster; the samples of the next edge see
                              // the moved head, as in umap-learn).
                              let other = Int(cols[e])
                              let dx = hx - t[2 * other], dy = hy - t[2 * other + 1]
                              let d2 = dx * dx + dy * dy
                              var gx: Float = 0, gy: Float = 0
                              if d2 > 0 {
                                let coefficient = -twoB * kernel.attraction(d2)
                                gx = clip(coefficient * dx)
                                gy = clip(coefficient * dy)
                              }
                              next[e] += eps[e]
                              let negatives = Int((n - nextNeg[e]) / epn[e])
                              if negatives > 0 {
                                for _ in 0..<negatives {
                                  let k = negativeSample(&state, count: tailCount)
                                  if skipSelf && k == v { continue }
                                  let nx = hx - t[2 * k], ny = hy - t[2 * k + 1]
                                  let nd2 = nx * nx + ny * ny
                                  if nd2 > 0 {
                                    let coefficient = repulse * kernel.repulsion(nd2) / (0.001 + nd2)
                                    gx += clip(coefficient * nx)
                                    gy += clip(coefficient * ny)
                                  }
                                }
                                nextNeg[e] += Float(negatives) * epn[e]
                              }
                              hx += stepAlpha * gx
                              hy += stepAlpha * gy
                            }
                            h[2 * v] = hx
                            h[2 * v + 1] = hy
                            rng[v] = state
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      alpha = initialAlpha * (1 - n / Float(epochs))
    }
    }
    progress.update(label, 1)
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
