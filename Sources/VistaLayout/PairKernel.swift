/// Distances over raw pointers into `PreparedRows`, for the many scattered pairs of NN-descent:
/// pair by pair for sparse rows, from a `DotTile`'s inner products for dense ones.
///
/// Going through `PreparedRows` per pair pattern-matches enums that hold arrays, which retains and
/// releases them: from several threads at once that is contended atomic traffic and made NN-descent
/// ten times slower. Pointers are valid only inside `PreparedRows.withPairKernel`.
struct PairKernel: @unchecked Sendable {
  enum Kind { case euclidean, angular, dot, sparseCorrelation }

  let kind: Kind
  /// Dense rows (nil for sparse), also read directly by the 4 × 4 tiles of `DotTile`.
  let dense: UnsafePointer<Float>?
  let cols: Int
  let rowPointers: UnsafePointer<Int>?
  let columnIndices: UnsafePointer<Int32>?
  let values: UnsafePointer<Float>?
  let squaredNorms: UnsafePointer<Float>?
  let means: UnsafePointer<Float>?
  let axisValues: UnsafePointer<Float>?
  let isNull: UnsafePointer<Bool>
  let axisWeight: Float
  let dimension: Float

  @inline(__always) func innerProduct(_ i: Int, _ j: Int) -> Float {
    if let dense { return DotTile.single(dense + i * cols, dense + j * cols, cols: cols) }
    let rp = rowPointers!, ci = columnIndices!, v = values!
    var a = rp[i], b = rp[j]
    let endA = rp[i + 1], endB = rp[j + 1]
    var s: Float = 0
    while a < endA && b < endB {
      let ca = ci[a], cb = ci[b]
      if ca == cb { s += v[a] * v[b]; a += 1; b += 1 } else if ca < cb { a += 1 } else { b += 1 }
    }
    return s
  }

  /// The distance, except euclidean which is returned squared (same order, no square root).
  @inline(__always) func rankingDistance(_ i: Int, _ j: Int) -> Float {
    rankingDistance(i, j, innerProduct: innerProduct(i, j))
  }

  /// The same from the rows' inner product, computed by the caller (a `DotTile`). Dense euclidean
  /// too goes through ‖x‖² + ‖y‖² − 2x·y, so that every pair of a search is measured one way.
  @inline(__always) func rankingDistance(_ i: Int, _ j: Int, innerProduct ip: Float) -> Float {
    switch kind {
    case .euclidean:
      return max(0, squaredNorms![i] + squaredNorms![j] - 2 * ip)
    case .dot:
      return 1 - ip
    case .angular:
      var d: Float
      if isNull[i] || isNull[j] { d = (isNull[i] && isNull[j]) ? 0 : 1 } else { d = max(0, 1 - ip) }
      if let axisValues { d += axisWeight * abs(axisValues[i] - axisValues[j]) }
      return d
    case .sparseCorrelation:
      if isNull[i] || isNull[j] { return (isNull[i] && isNull[j]) ? 0 : 1 }
      let centred = ip - dimension * means![i] * means![j]
      return max(0, 1 - centred / (squaredNorms![i] * squaredNorms![j]).squareRoot())
    }
  }
}

extension PreparedRows {
  /// Runs `body` with a pair kernel over these rows (as both sides of each pair).
  func withPairKernel<R>(_ body: (PairKernel) throws -> R) rethrows -> R {
    var kind: PairKernel.Kind
    var weight: Float = 0
    switch metric {
    case .euclidean: kind = .euclidean
    case .dot: kind = .dot
    case .cosine: kind = .angular
    case .vista(_, let w): kind = .angular; weight = w
    case .correlation:
      if case .sparse = storage { kind = .sparseCorrelation } else { kind = .angular }
    }
    let useAxis = weight != 0 && !axisValues.isEmpty
    return try isNull.withUnsafeBufferPointer { nulls in
      try squaredNorms.withUnsafeBufferPointer { norms in
        try means.withUnsafeBufferPointer { meanValues in
          try axisValues.withUnsafeBufferPointer { axis in
            switch storage {
            case .dense(let m):
              return try m.storage.withUnsafeBufferPointer { p in
                try body(PairKernel(kind: kind, dense: p.baseAddress, cols: m.cols, rowPointers: nil, columnIndices: nil,
                                    values: nil, squaredNorms: norms.baseAddress, means: meanValues.baseAddress,
                                    axisValues: useAxis ? axis.baseAddress : nil, isNull: nulls.baseAddress!,
                                    axisWeight: weight, dimension: Float(dimension)))
              }
            case .sparse(let s):
              return try s.rowPointers.withUnsafeBufferPointer { rp in
                try s.columnIndices.withUnsafeBufferPointer { ci in
                  try s.values.withUnsafeBufferPointer { v in
                    try body(PairKernel(kind: kind, dense: nil, cols: s.cols, rowPointers: rp.baseAddress,
                                        columnIndices: ci.baseAddress, values: v.baseAddress,
                                        squaredNorms: norms.baseAddress, means: meanValues.baseAddress,
                                        axisValues: useAxis ? axis.baseAddress : nil, isNull: nulls.baseAddress!,
                                        axisWeight: weight, dimension: Float(dimension)))
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

/// x·y over `n` contiguous floats with four independent 8-lane accumulators: one accumulator is
/// bound by the latency of its adds, four keep the vector units busy (about 2x faster on 784-wide
/// rows). For the random-projection trees' margins, one row against one normal at a time; pairs of
/// rows go through `DotTile`.
@inline(__always)
func wideDotProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
  var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
  let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
  @inline(__always) func term(_ offset: Int) -> SIMD8<Float> {
    rx.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
      * ry.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
  }
  var c = 0
  while c + 32 <= n {
    let o = 4 * c
    a0 += term(o)
    a1 += term(o + 32)
    a2 += term(o + 64)
    a3 += term(o + 96)
    c += 32
  }
  while c + 8 <= n {
    a0 += term(4 * c)
    c += 8
  }
  var s = ((a0 + a1) + (a2 + a3)).sum()
  while c < n { s += x[c] * y[c]; c += 1 }
  return s
}
