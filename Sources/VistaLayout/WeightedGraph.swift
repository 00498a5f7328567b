import VistaCore
/// A sparse weighted graph in CSR form: the fuzzy simplicial set UMAP optimises, exposed so
/// later stages can cluster on it.
///
/// `rowPointers[i]..<rowPointers[i+1]` indexes the edges leaving i; columns are sorted within a
/// row. The fitted UMAP graph is symmetric (every edge stored in both directions).
public struct WeightedGraph: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  public var rowPointers: [Int]
  public var columns: [Int32]
  public var weights: [Float]

  public init(rows: Int, cols: Int, rowPointers: [Int], columns: [Int32], weights: [Float]) {
    precondition(rowPointers.count == rows + 1 && columns.count == weights.count, "malformed CSR graph")
    self.rows = rows
    self.cols = cols
    self.rowPointers = rowPointers
    self.columns = columns
    self.weights = weights
  }

  public var edgeCount: Int { weights.count }

  /// A graph built row by row, rows in parallel: `row(i, &columns, &weights)` appends row i's edges
  /// (columns ascending). Chunks of rows fill buffers of their own, joined in row order, so the
  /// graph is the same at any thread count.
  static func byRows(rows: Int, cols: Int, threads: Int,
                     _ row: (Int, inout [Int32], inout [Float]) -> Void) -> WeightedGraph {
    let chunk = 1024
    let chunks = (rows + chunk - 1) / chunk
    var parts = [(ends: [Int], columns: [Int32], weights: [Float])](repeating: ([], [], []), count: chunks)
    parts.withUnsafeMutableBufferPointer { parts in
      parallelFor(chunks, threads: threads) { c in
        var ends: [Int] = [], columns: [Int32] = [], weights: [Float] = []
        for i in (c * chunk)..<min(rows, (c + 1) * chunk) {
          row(i, &columns, &weights)
          ends.append(columns.count)
        }
        parts[c] = (ends, columns, weights)
      }
    }
    var pointers = [0]
    pointers.reserveCapacity(rows + 1)
    var columns: [Int32] = [], weights: [Float] = []
    columns.reserveCapacity(parts.reduce(0) { $0 + $1.columns.count })
    weights.reserveCapacity(columns.capacity)
    for part in parts {
      let offset = columns.count
      pointers.append(contentsOf: part.ends.lazy.map { $0 + offset })
      columns.append(contentsOf: part.columns)
      weights.append(contentsOf: part.weights)
    }
    return WeightedGraph(rows: rows, cols: cols, rowPointers: pointers, columns: columns, weights: weights)
  }

  /// The same graph without edges whose weight is below `threshold`.
  func pruned(below threshold: Float) -> WeightedGraph {
    var pointers = [0]
    pointers.reserveCapacity(rows + 1)
    var cols: [Int32] = [], ws: [Float] = []
    cols.reserveCapacity(edgeCount)
    ws.reserveCapacity(edgeCount)
    for r in 0..<rows {
      for e in rowPointers[r]..<rowPointers[r + 1] where weights[e] >= threshold && weights[e] > 0 {
        cols.append(columns[e]); ws.append(weights[e])
      }
      pointers.append(cols.count)
    }
    return WeightedGraph(rows: rows, cols: self.cols, rowPointers: pointers, columns: cols, weights: ws)
  }

  /// The transpose.
  func transposed() -> WeightedGraph {
    var counts = [Int](repeating: 0, count: cols + 1)
    for c in columns { counts[Int(c) + 1] += 1 }
    for c in 0..<cols { counts[c + 1] += counts[c] }
    var next = counts
    var outCols = [Int32](repeating: 0, count: edgeCount)
    var outW = [Float](repeating: 0, count: edgeCount)
    for r in 0..<rows {
      for e in rowPointers[r]..<rowPointers[r + 1] {
        let c = Int(columns[e])
        outCols[next[c]] = Int32(r)
        outW[next[c]] = weights[e]
        next[c] += 1
      }
    }
    return WeightedGraph(rows: cols, cols: rows, rowPointers: counts, columns: outCols, weights: outW)
  }

  public var maxWeight: Float { weights.max() ?? 0 }
}
