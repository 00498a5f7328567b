/// A compressed-sparse-row matrix of `Float`.
///
/// SAE codes are sparse: 200k captions x 16k latents at L0 ~70 is 14M non-zeros, not 3.2G floats.
/// Column indices within a row are sorted ascending.
public struct SparseMatrix: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  /// `rowPointers[r]..<rowPointers[r+1]` indexes row r's entries; count is `rows + 1`.
  public var rowPointers: [Int]
  public var columnIndices: [Int32]
  public var values: [Float]

  public init(rows: Int, cols: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
    precondition(rowPointers.count == rows + 1, "rowPointers needs rows + 1 entries")
    precondition(columnIndices.count == values.count, "indices and values differ in length")
    self.rows = rows
    self.cols = cols
    self.rowPointers = rowPointers
    self.columnIndices = columnIndices
    self.values = values
  }

  /// An empty matrix of the given shape.
  public init(rows: Int, cols: Int) {
    self.init(rows: rows, cols: cols, rowPointers: [Int](repeating: 0, count: rows + 1), columnIndices: [], values: [])
  }

  /// Keeps the non-zeros of a dense matrix.
  public init(dense: Matrix) {
    var pointers = [0]
    pointers.reserveCapacity(dense.rows + 1)
    var indices: [Int32] = []
    var vals: [Float] = []
    for r in 0..<dense.rows {
      for c in 0..<dense.cols {
        let v = dense.storage[r * dense.cols + c]
        if v != 0 { indices.append(Int32(c)); vals.append(v) }
      }
      pointers.append(indices.count)
    }
    self.init(rows: dense.rows, cols: dense.cols, rowPointers: pointers, columnIndices: indices, values: vals)
  }

  public var nonZeroCount: Int { values.count }

  /// Stored entries per column (for codes: on how many captions each latent fires).
  public var columnCounts: [Int] {
    var counts = [Int](repeating: 0, count: cols)
    for c in columnIndices { counts[Int(c)] += 1 }
    return counts
  }

  /// The value at (row, col), by binary search in the row.
  public subscript(row: Int, col: Int) -> Float {
    var lo = rowPointers[row], hi = rowPointers[row + 1]
    let target = Int32(col)
    while lo < hi {
      let mid = (lo + hi) / 2
      if columnIndices[mid] < target { lo = mid + 1 } else { hi = mid }
    }
    return lo < rowPointers[row + 1] && columnIndices[lo] == target ? values[lo] : 0
  }

  /// One column as a dense vector (the chosen latent's activation per caption).
  public func column(_ col: Int) -> [Float] {
    (0..<rows).map { self[$0, col] }
  }

  /// The rows at `indices`, in that order.
  public func selectingRows(_ indices: [Int]) -> SparseMatrix {
    var pointers = [0]
    var idx: [Int32] = []
    var vals: [Float] = []
    for i in indices {
      let range = rowPointers[i]..<rowPointers[i + 1]
      idx.append(contentsOf: columnIndices[range])
      vals.append(contentsOf: values[range])
      pointers.append(idx.count)
    }
    return SparseMatrix(rows: indices.count, cols: cols, rowPointers: pointers, columnIndices: idx, values: vals)
  }

  /// A dense copy; only for small matrices.
  public func toDense() -> Matrix {
    var m = Matrix(rows: rows, cols: cols)
    for r in 0..<rows {
      for k in rowPointers[r]..<rowPointers[r + 1] { m.storage[r * cols + Int(columnIndices[k])] = values[k] }
    }
    return m
  }
}
