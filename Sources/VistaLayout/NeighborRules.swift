import VistaCore

/// Which distance ranks neighbours on each side of a fidelity comparison.
///
/// The paper's reference code ranks by dot product after L2-normalising (cosine) in the
/// representation and, in its script, normalise-then-dot on the map too; that ranks map points by
/// angle about the origin, so Euclidean is the default on the map. Both sides are explicit because
/// the gain moves a lot with them (vista-method §3.2).
public struct NeighborRules: Sendable, Codable, Equatable {
  public var high: Metric
  public var low: Metric

  public init(high: Metric = .cosine, low: Metric = .euclidean) {
    self.high = high
    self.low = low
  }
}

/// Streams, row block by row block, each point's distances to every point in two spaces.
struct PairedDistanceRows {
  let high: DistanceBlocks
  let low: DistanceBlocks
  let n: Int

  init(high: LayoutInput, low: LayoutInput, rules: NeighborRules) throws {
    guard high.rows == low.rows else {
      throw VistaError("the two spaces have \(high.rows) and \(low.rows) points", at: "fidelity")
    }
    guard high.rows >= 3 else { throw VistaError("fidelity needs at least 3 points, got \(high.rows)", at: "fidelity") }
    try rules.high.validate(columns: high.cols)
    try rules.low.validate(columns: low.cols)
    try high.validateFinite(at: "high-dimensional data")
    try low.validateFinite(at: "layout")
    self.high = DistanceBlocks(reference: high, metric: rules.high)
    self.low = DistanceBlocks(reference: low, metric: rules.low)
    self.n = high.rows
  }

  /// Calls `body(i, highRow, lowRow)` for every point, rows in parallel: `highRow` and `lowRow` hold
  /// point i's n distances in the high- and low-dimensional spaces (valid for the call only).
  func forEachRow(threads: Int, progress: Progress, label: String,
                  _ body: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) throws {
    let n = self.n
    if high.computesWithoutBLAS && low.computesWithoutBLAS {
      // Sparse codes against a map: each worker computes 16 rows of both at a time in its own
      // buffers (in cache), where whole blocks of 8 M distances were written and read back.
      try forEachRowChunk(rows: n, chunk: 16, threads: threads, progress: progress, label: label) { rows in
        let highRows = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * n)
        let lowRows = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * n)
        defer { highRows.deallocate(); lowRows.deallocate() }
        high.compute(rows: rows, into: highRows, threads: 1)
        low.compute(rows: rows, into: lowRows, threads: 1)
        for i in rows { body(i, highRows + (i - rows.lowerBound) * n, lowRows + (i - rows.lowerBound) * n) }
      }
      progress.update(label, 1)
      return
    }
    // Dense rows: blocks through sgemm (OpenBLAS threads them), then the rows in parallel.
    let blockRows = max(1, min(n, 8_000_000 / n))
    let highBlock = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * n)
    let lowBlock = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * n)
    defer { highBlock.deallocate(); lowBlock.deallocate() }
    try forEachRowGroup(rows: n, group: blockRows, progress: progress, label: label) { rows in
      high.compute(rows: rows, into: highBlock, threads: threads)
      low.compute(rows: rows, into: lowBlock, threads: threads)
      parallelFor(rows.count, threads: threads) { local in
        body(rows.lowerBound + local, highBlock + local * n, lowBlock + local * n)
      }
    }
    progress.update(label, 1)
  }
}
