import VistaCore

/// Distances from a block of query rows to every reference row, as one inner-product block and a
/// per-metric finishing pass.
///
/// Dense rows use one `sgemm` per block. Sparse rows use a sparse × sparse accumulation through
/// the reference's transpose: for each non-zero (c, v) of a query row, add v·w to every reference
/// row that has column c. For SAE codes (4000 × 16384, ~70 non-zeros a row) that is a few tens of
/// millions of multiply-adds, where densifying and calling sgemm costs 2·4000²·16384 ≈ 0.5 TFLOP
/// (seconds); the dense path is taken only when the estimated sparse work exceeds a fraction of the
/// dense flops (nearly dense data).
struct DistanceBlocks: @unchecked Sendable {
  let reference: PreparedRows
  let query: PreparedRows
  /// Dense copy of sparse rows, made only when sparse accumulation would be slower than sgemm.
  private let denseQuery: Matrix?
  private let denseReference: Matrix?

  /// Prepares `reference` (and `query`, default the same rows) for `metric`.
  init(reference input: LayoutInput, query queryInput: LayoutInput? = nil, metric: Metric) {
    let ref = PreparedRows(input, metric: metric, asReference: true)
    let q = queryInput.map { PreparedRows(PreparedRows.matchingStorage($0, like: ref), metric: metric, asReference: false) } ?? ref
    self.reference = ref
    self.query = q
    if case .sparse(let rs) = ref.storage, case .sparse(let qs) = q.storage,
       DistanceBlocks.denseIsFaster(query: qs, referenceTransposed: ref.transposed!, referenceRows: rs.rows) {
      denseReference = rs.toDense()
      denseQuery = queryInput == nil ? denseReference : qs.toDense()
    } else {
      denseReference = nil
      denseQuery = nil
    }
  }

  /// Sparse accumulation does Σ_c nnzQuery(c)·nnzRef(c) scattered multiply-adds; sgemm does
  /// 2·nq·nr·d flops at roughly 40x the rate per operation on this hardware class.
  static func denseIsFaster(query: SparseMatrix, referenceTransposed: SparseMatrix, referenceRows: Int) -> Bool {
    let queryColumnCounts = query.columnCounts
    var sparseWork = 0.0
    for c in 0..<query.cols where queryColumnCounts[c] > 0 {
      let refCount = referenceTransposed.rowPointers[c + 1] - referenceTransposed.rowPointers[c]
      sparseWork += Double(queryColumnCounts[c]) * Double(refCount)
    }
    let denseFlops = 2.0 * Double(query.rows) * Double(referenceRows) * Double(query.cols)
    let denseBytes = 4.0 * Double(query.rows + referenceRows) * Double(query.cols)
    return sparseWork * 40 > denseFlops && denseBytes < 2e9
  }

  /// Whether `compute` calls no BLAS: the sparse accumulation, or direct differences for a map's
  /// few Euclidean columns. Such rows may be computed a few at a time from several threads at once
  /// (each worker's distances then stay in cache); sgemm blocks are better left whole to OpenBLAS.
  var computesWithoutBLAS: Bool {
    if denseQuery == nil, case .sparse = query.storage { return true }
    return usesDirectDifferences
  }

  /// Low-dimensional euclidean (maps): direct differences, exact where the expansion would lose
  /// digits that decide near-tied ranks.
  private var usesDirectDifferences: Bool {
    guard reference.metric == .euclidean, reference.dimension <= 8 else { return false }
    if case .dense = query.storage, case .dense = reference.storage { return true }
    return false
  }

  /// Rows of query per block so a block of distances stays near 64 MB.
  var blockRows: Int { max(1, min(query.count, 16_000_000 / max(reference.count, 1))) }

  /// Fills `out` ((rows.count) × reference.count, row-major) with distances.
  ///
  /// The self-distance of a row to itself is not forced to 0 here (callers that know the two
  /// sides are the same rows do that).
  func compute(rows: Range<Int>, into out: UnsafeMutablePointer<Float>, threads: Int) {
    let nr = reference.count
    let nq = rows.count
    if nq == 0 || nr == 0 { return }
    if usesDirectDifferences, case .dense(let dq) = query.storage, case .dense(let dr) = reference.storage {
      let dim = dq.cols
      let chunk = 64
      dq.storage.withUnsafeBufferPointer { pq in
        dr.storage.withUnsafeBufferPointer { pr in
          parallelFor((nq + chunk - 1) / chunk, threads: threads) { ch in
            for local in (ch * chunk)..<min(nq, ch * chunk + chunk) {
              let x = pq.baseAddress! + (rows.lowerBound + local) * dim
              let row = out + local * nr
              for j in 0..<nr {
                var s: Float = 0
                for c in 0..<dim { let d = x[c] - pr[j * dim + c]; s += d * d }
                row[j] = s.squareRoot()
              }
            }
          }
        }
      }
      return
    }
    // 1. Inner products.
    if let dq = denseQuery ?? denseMatrix(query), let dr = denseReference ?? denseMatrix(reference) {
      dq.storage.withUnsafeBufferPointer { pq in
        dr.storage.withUnsafeBufferPointer { pr in
          BLAS.gemm(pq.baseAddress! + rows.lowerBound * dq.cols, pr.baseAddress!, out,
                    m: nq, n: nr, k: dq.cols, transposeB: true)
        }
      }
    } else if case .sparse(let qs) = query.storage, let t = reference.transposed {
      let chunk = 64
      let chunks = (nq + chunk - 1) / chunk
      qs.rowPointers.withUnsafeBufferPointer { qp in
        qs.columnIndices.withUnsafeBufferPointer { qc in
          qs.values.withUnsafeBufferPointer { qv in
            t.rowPointers.withUnsafeBufferPointer { tp in
              t.columnIndices.withUnsafeBufferPointer { tc in
                t.values.withUnsafeBufferPointer { tv in
                  parallelFor(chunks, threads: threads) { ch in
                    let lo = ch * chunk, hi = min(nq, lo + chunk)
                    for local in lo..<hi {
                      let acc = out + local * nr
                      acc.initialize(repeating: 0, count: nr)
                      let i = rows.lowerBound + local
                      for e in qp[i]..<qp[i + 1] {
                        let c = Int(qc[e]), v = qv[e]
                        for f in tp[c]..<tp[c + 1] { acc[Int(tc[f])] += v * tv[f] }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    } else {
      preconditionFailure("query and reference rows must have the same storage")
    }
    // 2. Finish each entry into a distance.
    finish(rows: rows, block: out, threads: threads)
  }

  private func denseMatrix(_ p: PreparedRows) -> Matrix? {
    if case .dense(let m) = p.storage { return m }
    return nil
  }

  private func finish(rows: Range<Int>, block out: UnsafeMutablePointer<Float>, threads: Int) {
    let nr = reference.count
    let nq = rows.count
    let chunk = 64
    let chunks = (nq + chunk - 1) / chunk
    let q = query, r = reference
    let sparseCorrelation: Bool = {
      if case .sparse = r.storage, r.metric == .correlation { return true }
      return false
    }()
    parallelFor(chunks, threads: threads) { ch in
      let lo = ch * chunk, hi = min(nq, lo + chunk)
      for local in lo..<hi {
        let i = rows.lowerBound + local
        let row = out + local * nr
        switch r.metric {
        case .euclidean:
          let qi = q.squaredNorms[i]
          r.squaredNorms.withUnsafeBufferPointer { sq in
            for j in 0..<nr { row[j] = max(0, qi + sq[j] - 2 * row[j]).squareRoot() }
          }
        case .dot:
          for j in 0..<nr { row[j] = 1 - row[j] }
        case .cosine:
          for j in 0..<nr { row[j] = max(0, 1 - row[j]) }
          fixNullRows(row: row, i: i)
        case .correlation where !sparseCorrelation:
          for j in 0..<nr { row[j] = max(0, 1 - row[j]) }
          fixNullRows(row: row, i: i)
        case .correlation:
          let d = Float(r.dimension)
          let mi = q.means[i], ni = q.squaredNorms[i]
          r.means.withUnsafeBufferPointer { means in
            r.squaredNorms.withUnsafeBufferPointer { norms in
              for j in 0..<nr {
                let denominator = (ni * norms[j]).squareRoot()
                row[j] = denominator > 0 ? max(0, 1 - (row[j] - d * mi * means[j]) / denominator) : 1
              }
            }
          }
          fixNullRows(row: row, i: i)
        case .vista(_, let w):
          for j in 0..<nr { row[j] = max(0, 1 - row[j]) }
          fixNullRows(row: row, i: i)
          let ai = q.axisValues[i]
          r.axisValues.withUnsafeBufferPointer { ax in
            for j in 0..<nr { row[j] += w * abs(ai - ax[j]) }
          }
        }
      }
    }
  }

  /// Angular distance conventions for rows without direction: 0 between two such rows, 1 otherwise.
  @inline(__always)
  private func fixNullRows(row: UnsafeMutablePointer<Float>, i: Int) {
    let qNull = query.isNull[i]
    reference.isNull.withUnsafeBufferPointer { nulls in
      for j in 0..<reference.count where qNull || nulls[j] { row[j] = (qNull && nulls[j]) ? 0 : 1 }
    }
  }
}

/// Full pairwise distance matrices, for tests, small data and callers that want the matrix itself
/// (for instance to hand a precomputed VISTA metric to another UMAP).
public enum PairwiseDistances {
  /// The n × n distance matrix of `input` under `metric`, with an exact zero diagonal.
  public static func matrix(_ input: LayoutInput, metric: Metric, threads: Int = defaultThreadCount) throws -> Matrix {
    try metric.validate(columns: input.cols)
    let engine = DistanceBlocks(reference: input, metric: metric)
    let n = input.rows
    var out = Matrix(rows: n, cols: n)
    out.storage.withUnsafeMutableBufferPointer { p in
      var start = 0
      while start < n {
        let end = min(n, start + engine.blockRows)
        engine.compute(rows: start..<end, into: p.baseAddress! + start * n, threads: threads)
        start = end
      }
      for i in 0..<n { p[i * n + i] = 0 }
    }
    return out
  }
}

/// Runs `body` on consecutive groups of up to `group` rows of 0..<n, with a progress report and a
/// cancellation check before each: the outer loop of every distance-row pass (sgemm blocks, or
/// `forEachRowChunk`'s groups of chunks).
func forEachRowGroup(rows n: Int, group: Int, progress: Progress, label: String, _ body: (Range<Int>) -> Void) throws {
  var start = 0
  while start < n {
    try progress.checkCancelled()
    progress.update(label, Double(start) / Double(n))
    let end = min(n, start + group)
    body(start..<end)
    start = end
  }
}

/// The schedule of the paths that compute distance rows without BLAS (`computesWithoutBLAS`): the
/// rows in chunks of `chunk`, each chunk computed and consumed by one worker in buffers of its own
/// (so its rows stay in cache), 64 chunks in parallel between progress reports and cancellation
/// checks. `body` gets each chunk's rows.
func forEachRowChunk(rows n: Int, chunk: Int, threads: Int, progress: Progress, label: String,
                     _ body: (Range<Int>) -> Void) throws {
  try forEachRowGroup(rows: n, group: 64 * chunk, progress: progress, label: label) { group in
    parallelFor((group.count + chunk - 1) / chunk, threads: threads) { c in
      let lo = group.lowerBound + c * chunk
      body(lo..<min(group.upperBound, lo + chunk))
    }
  }
}
