/// A dense row-major matrix of `Float`, the shape every VISTA stage exchanges.
///
/// Storage is one contiguous `[Float]` so hot loops and BLAS calls see a plain buffer.
public struct Matrix: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  public var storage: [Float]

  /// A zero-filled matrix.
  public init(rows: Int, cols: Int) {
    precondition(rows >= 0 && cols >= 0, "matrix shape must be non-negative")
    self.rows = rows
    self.cols = cols
    self.storage = [Float](repeating: 0, count: rows * cols)
  }

  /// Wraps existing row-major values; `storage.count` must equal `rows * cols`.
  public init(rows: Int, cols: Int, storage: [Float]) {
    precondition(storage.count == rows * cols, "storage has \(storage.count) values, shape needs \(rows * cols)")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  @inlinable public subscript(row: Int, col: Int) -> Float {
    get { storage[row * cols + col] }
    set { storage[row * cols + col] = newValue }
  }

  /// A copy of one row.
  public func row(_ index: Int) -> [Float] {
    Array(storage[(index * cols)..<((index + 1) * cols)])
  }

  /// The rows at `indices`, in that order.
  public func selectingRows(_ indices: [Int]) -> Matrix {
    var out = Matrix(rows: indices.count, cols: cols)
    storage.withUnsafeBufferPointer { src in
      out.storage.withUnsafeMutableBufferPointer { dst in
        for (r, i) in indices.enumerated() {
          for c in 0..<cols { dst[r * cols + c] = src[i * cols + c] }
        }
      }
    }
    return out
  }

  /// The first non-finite value, if any, as (row, col): data with NaN or Inf is refused by callers.
  public func firstNonFinite() -> (row: Int, col: Int)? {
    for (i, v) in storage.enumerated() where !v.isFinite { return (i / max(cols, 1), i % max(cols, 1)) }
    return nil
  }
}
