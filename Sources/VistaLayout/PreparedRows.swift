import VistaCore

/// Rows transformed once for a metric, so that any block of distances is one inner-product block
/// (`InnerProducts`) followed by a cheap per-entry finish using per-row scalars.
///
/// - cosine, vista: rows scaled to unit length (zero rows stay zero);
/// - correlation: dense rows centred then scaled to unit length; sparse rows stay raw (centring would
///   densify them) and the centring is applied in the finish from each row's mean and centred norm;
/// - euclidean, dot: raw rows, with squared norms for the expansion ‖x‖² + ‖y‖² − 2x·y.
struct PreparedRows: @unchecked Sendable {
  enum Storage {
    case dense(Matrix)
    case sparse(SparseMatrix)
  }

  let storage: Storage
  let metric: Metric
  let count: Int
  let dimension: Int
  /// Euclidean: squared norms. Sparse correlation: centred squared norms.
  let squaredNorms: [Float]
  /// Sparse correlation: row means.
  let means: [Float]
  /// VISTA: the selected latent's raw activation per row.
  let axisValues: [Float]
  /// Cosine, vista, correlation: rows with no direction (all zero, or constant for correlation).
  let isNull: [Bool]
  /// Sparse storage: the transposed matrix (columns as rows), built when this side is a reference.
  let transposed: SparseMatrix?

  init(_ input: LayoutInput, metric: Metric, asReference: Bool) {
    self.metric = metric
    self.count = input.rows
    self.dimension = input.cols
    var axis: [Float] = []
    if case .vista(let a, _) = metric { axis = input.column(a) }
    self.axisValues = axis
    var norms: [Float] = []
    var means: [Float] = []
    var isNull = [Bool](repeating: false, count: input.rows)
    switch input {
    case .dense(var m):
      switch metric {
      case .euclidean:
        norms = PreparedRows.rowSquaredNorms(m)
      case .dot:
        break
      case .cosine, .vista, .correlation:
        let centre = metric == .correlation
        let cols = m.cols
        m.storage.withUnsafeMutableBufferPointer { p in
          for r in 0..<m.rows {
            let row = UnsafeMutableBufferPointer(rebasing: p[(r * cols)..<((r + 1) * cols)])
            if centre {
              var s: Float = 0
              for v in row { s += v }
              let mean = s / Float(max(cols, 1))
              for c in 0..<cols { row[c] -= mean }
            }
            var ss: Float = 0
            for v in row { ss += v * v }
            if ss > 0 {
              let inv = 1 / ss.squareRoot()
              for c in 0..<cols { row[c] *= inv }
            } else {
              isNull[r] = true
            }
          }
        }
      }
      self.storage = .dense(m)
      self.transposed = nil
    case .sparse(var s):
      switch metric {
      case .euclidean:
        norms = PreparedRows.rowSquaredNorms(s)
      case .dot:
        break
      case .correlation:
        let d = Float(max(s.cols, 1))
        let raw = PreparedRows.rowSquaredNorms(s)
        means = [Float](repeating: 0, count: s.rows)
        norms = [Float](repeating: 0, count: s.rows)
        for r in 0..<s.rows {
          var sum: Float = 0
          for e in s.rowPointers[r]..<s.rowPointers[r + 1] { sum += s.values[e] }
          let mean = sum / d
          means[r] = mean
          norms[r] = max(0, raw[r] - d * mean * mean)
          isNull[r] = norms[r] <= 0
        }
      case .cosine, .vista:
        let raw = PreparedRows.rowSquaredNorms(s)
        s.values.withUnsafeMutableBufferPointer { v in
          for r in 0..<s.rows {
            if raw[r] > 0 {
              let inv = 1 / raw[r].squareRoot()
              for e in s.rowPointers[r]..<s.rowPointers[r + 1] { v[e] *= inv }
            } else {
              isNull[r] = true
            }
          }
        }
      }
      self.storage = .sparse(s)
      self.transposed = asReference ? PreparedRows.transpose(s) : nil
    }
    self.squaredNorms = norms
    self.means = means
    self.isNull = isNull
  }

  static func rowSquaredNorms(_ m: Matrix) -> [Float] {
    m.storage.withUnsafeBufferPointer { p in
      (0..<m.rows).map { r in
        var s: Float = 0
        for c in 0..<m.cols { let v = p[r * m.cols + c]; s += v * v }
        return s
      }
    }
  }

  static func rowSquaredNorms(_ s: SparseMatrix) -> [Float] {
    (0..<s.rows).map { r in
      var acc: Float = 0
      for e in s.rowPointers[r]..<s.rowPointers[r + 1] { acc += s.values[e] * s.values[e] }
      return acc
    }
  }

  /// The CSR of the transpose (CSC of `s`), rows of the result sorted by original row index.
  static func transpose(_ s: SparseMatrix) -> SparseMatrix {
    var counts = [Int](repeating: 0, count: s.cols + 1)
    for c in s.columnIndices { counts[Int(c) + 1] += 1 }
    for c in 0..<s.cols { counts[c + 1] += counts[c] }
    var next = counts
    var rowsOut = [Int32](repeating: 0, count: s.nonZeroCount)
    var valuesOut = [Float](repeating: 0, count: s.nonZeroCount)
    for r in 0..<s.rows {
      for e in s.rowPointers[r]..<s.rowPointers[r + 1] {
        let c = Int(s.columnIndices[e])
        rowsOut[next[c]] = Int32(r)
        valuesOut[next[c]] = s.values[e]
        next[c] += 1
      }
    }
    return SparseMatrix(rows: s.cols, cols: s.rows, rowPointers: counts, columnIndices: rowsOut, values: valuesOut)
  }

  /// The euclidean distance between dense query row `i` and dense reference row `j`, computed
  /// directly (no cancellation); refines the candidates of the dense euclidean kNN path.
  @inline(__always)
  func euclideanDistance(query: PreparedRows, _ i: Int, _ j: Int) -> Float {
    guard case .dense(let a) = query.storage, case .dense(let b) = storage else {
      preconditionFailure("euclidean refinement needs dense query and reference rows")
    }
    return a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        squaredDistance(pa.baseAddress! + i * a.cols, pb.baseAddress! + j * b.cols, a.cols).squareRoot()
      }
    }
  }

  /// Converts query rows to this side's storage kind (dense ↔ sparse) when they differ.
  static func matchingStorage(_ input: LayoutInput, like reference: PreparedRows) -> LayoutInput {
    switch (input, reference.storage) {
    case (.dense(let m), .sparse): return .sparse(SparseMatrix(dense: m))
    case (.sparse(let s), .dense): return .dense(s.toDense())
    default: return input
    }
  }
}

/// ‖x − y‖² over `n` contiguous floats.
@inline(__always)
func squaredDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = SIMD8<Float>(repeating: 0)
  var c = 0
  while c + 8 <= n {
    let d = UnsafeRawPointer(x + c).loadUnaligned(as: SIMD8<Float>.self) - UnsafeRawPointer(y + c).loadUnaligned(as: SIMD8<Float>.self)
    acc += d * d
    c += 8
  }
  var s = acc.sum()
  while c < n { let d = x[c] - y[c]; s += d * d; c += 1 }
  return s
}
