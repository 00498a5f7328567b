import VistaCore

/// How nearest neighbours are found.
public struct KNNOptions: Sendable, Codable, Equatable {
  public enum Method: String, Sendable, Codable {
    /// Exact below `exactThreshold` points, NN-descent above.
    case auto
    /// Exact, blocked through BLAS: O(n²·d) flops, fast for up to a few tens of thousands of rows.
    case exact
    /// Approximate: random-projection-tree forest, then nearest-neighbour descent.
    case nnDescent
  }

  public var method: Method = .auto
  /// `auto` switches to NN-descent above this many points. umap-learn switches at 4096; the BLAS
  /// distance block keeps exact search cheap a little longer (measured: 20,000 × 384 dense takes
  /// 4.2 s CPU exact against 1.8 s by NN-descent, 4,000 × 16,384 sparse 0.2 s exact).
  public var exactThreshold: Int = 8_192
  /// NN-descent trees; nil = pynndescent's min(64, 5 + round(√n / 20)).
  public var trees: Int? = nil
  /// NN-descent iterations; nil = max(5, round(log₂ n)).
  public var iterations: Int? = nil
  /// Candidates sampled per point and iteration (pynndescent's max_candidates).
  public var maxCandidates: Int = 60
  /// Stop when fewer than delta · n · k updates happen in an iteration (pynndescent's delta).
  public var delta: Double = 0.001
  public var seed: UInt64 = 42
  public var threads: Int = defaultThreadCount

  public init() {}
}

/// k-nearest-neighbour search over dense or sparse rows under any `Metric`.
public enum NearestNeighbors {
  /// Each row's `k` nearest rows. With `includeSelf`, column 0 is the row itself at distance 0 and
  /// k − 1 others follow (umap-learn's convention); without, k others.
  public static func compute(_ input: LayoutInput, k: Int, metric: Metric, includeSelf: Bool = true,
                             options: KNNOptions = KNNOptions(), progress: Progress = .none) throws -> KNNGraph {
    try validate(input, k: k, metric: metric)
    let useDescent: Bool
    switch options.method {
    case .exact: useDescent = false
    case .nnDescent: useDescent = true
    case .auto: useDescent = input.rows > options.exactThreshold
    }
    if useDescent {
      return try NNDescent.search(input, k: k, metric: metric, includeSelf: includeSelf, options: options, progress: progress)
    }
    return try exact(input, k: k, metric: metric, includeSelf: includeSelf, threads: options.threads, progress: progress)
  }

  /// The exact kNN graph: distance blocks through BLAS, then a bounded heap per row.
  public static func exact(_ input: LayoutInput, k: Int, metric: Metric, includeSelf: Bool = true,
                           threads: Int = defaultThreadCount, progress: Progress = .none) throws -> KNNGraph {
    try validate(input, k: k, metric: metric)
    let engine = DistanceBlocks(reference: input, metric: metric)
    return try select(engine: engine, queries: input.rows, k: k, sameRows: true, includeSelf: includeSelf,
                      threads: threads, progress: progress)
  }

  /// For each row of `queries`, its `k` nearest rows of `reference` (no self convention: the two
  /// sets are different points). Used by `UMAP.transform`.
  public static func query(_ queries: LayoutInput, reference: LayoutInput, k: Int, metric: Metric,
                           threads: Int = defaultThreadCount, progress: Progress = .none) throws -> KNNGraph {
    guard queries.cols == reference.cols else {
      throw VistaError("new points have \(queries.cols) columns, the map's data \(reference.cols)", at: "transform")
    }
    guard k >= 1, k <= reference.rows else {
      throw VistaError("k must be in 1...\(reference.rows), got \(k)", at: "option n_neighbors")
    }
    try metric.validate(columns: reference.cols)
    try queries.validateFinite(at: "new points")
    let engine = DistanceBlocks(reference: reference, query: queries, metric: metric)
    return try select(engine: engine, queries: queries.rows, k: k, sameRows: false, includeSelf: false,
                      threads: threads, progress: progress)
  }

  static func validate(_ input: LayoutInput, k: Int, metric: Metric) throws {
    guard input.rows >= 2 else { throw VistaError("need at least 2 points, got \(input.rows)", at: "input") }
    guard k >= 1, k <= input.rows else {
      throw VistaError("k must be in 1...\(input.rows) (the number of points), got \(k)", at: "option n_neighbors")
    }
    try metric.validate(columns: input.cols)
    try input.validateFinite(at: "input")
  }

  private static func select(engine: DistanceBlocks, queries n: Int, k: Int, sameRows: Bool, includeSelf: Bool,
                             threads: Int, progress: Progress) throws -> KNNGraph {
    let m = engine.reference.count
    let others = includeSelf ? k - 1 : k
    guard others <= (sameRows ? m - 1 : m) else {
      throw VistaError("k = \(k) needs more points than the \(m) given", at: "option n_neighbors")
    }
    var indices = [Int32](repeating: -1, count: n * k)
    var distances = [Float](repeating: .infinity, count: n * k)
    let refineEuclidean: Bool = {
      if engine.reference.metric == .euclidean, case .dense = engine.reference.storage { return true }
      return false
    }()
    try indices.withUnsafeMutableBufferPointer { idxOut in
      try distances.withUnsafeMutableBufferPointer { distOut in
        /// Row i's k nearest from its distances to every reference row.
        func selectRow(_ i: Int, _ row: UnsafePointer<Float>) {
          let offset = includeSelf ? 1 : 0
          let dOut = distOut.baseAddress! + i * k + offset
          let iOut = idxOut.baseAddress! + i * k + offset
          var heap = TopKSelection(k: others, distances: dOut, indices: iOut)
          if others > 0 {
            for j in 0..<m {
              if sameRows && j == i { continue }
              let d = row[j]
              if d <= heap.bound { heap.offer(d, Int32(j)) }
            }
            if refineEuclidean {
              for e in 0..<heap.count { dOut[e] = engine.reference.euclideanDistance(query: engine.query, i, Int(iOut[e])) }
              var resorted = TopKSelection(k: others, distances: dOut, indices: iOut)
              let pairs = (0..<heap.count).map { (dOut[$0], iOut[$0]) }
              for (d, j) in pairs { resorted.offer(d, j) }
              heap = resorted
            }
            heap.sortAscending()
          }
          if includeSelf {
            distOut[i * k] = 0
            idxOut[i * k] = Int32(i)
          }
        }

        let chunk = 32
        if engine.computesWithoutBLAS {
          // No BLAS (sparse rows, a map): each worker computes, finishes and selects 32 rows at a
          // time in its own buffer (512 KB at 4,000 references, so in cache); a whole block of
          // distances written, re-read to finish and re-read to select was three passes over 64 MB
          // (4,000 × 16,384 SAE codes: 0.08–0.12 s). The same arithmetic per row: the same graph.
          try forEachRowChunk(rows: n, chunk: chunk, threads: threads, progress: progress, label: "nearest neighbours") { rows in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * m)
            defer { buffer.deallocate() }
            engine.compute(rows: rows, into: buffer, threads: 1)
            for i in rows { selectRow(i, buffer + (i - rows.lowerBound) * m) }
          }
        } else {
          // Dense rows through sgemm: one call per block (OpenBLAS threads it), then the selection in parallel.
          let blockRows = engine.blockRows
          let block = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * m)
          defer { block.deallocate() }
          try forEachRowGroup(rows: n, group: blockRows, progress: progress, label: "nearest neighbours") { rows in
            engine.compute(rows: rows, into: block, threads: threads)
            parallelFor((rows.count + chunk - 1) / chunk, threads: threads) { ch in
              for local in (ch * chunk)..<min(rows.count, ch * chunk + chunk) {
                selectRow(rows.lowerBound + local, block + local * m)
              }
            }
          }
        }
      }
    }
    progress.update("nearest neighbours", 1)
    return KNNGraph(indices: indices, distances: distances, n: n, k: k, includesSelf: includeSelf)
  }
}
