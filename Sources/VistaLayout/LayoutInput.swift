import VistaCore

/// The high-dimensional rows to lay out: dense embeddings or CSR-sparse SAE codes.
public enum LayoutInput: Sendable {
  case dense(Matrix)
  case sparse(SparseMatrix)

  public var rows: Int {
    switch self {
    case .dense(let m): return m.rows
    case .sparse(let s): return s.rows
    }
  }

  public var cols: Int {
    switch self {
    case .dense(let m): return m.cols
    case .sparse(let s): return s.cols
    }
  }

  /// One column as a dense vector (the selected latent's activation per row).
  public func column(_ c: Int) -> [Float] {
    switch self {
    case .dense(let m):
      return m.storage.withUnsafeBufferPointer { p in (0..<m.rows).map { p[$0 * m.cols + c] } }
    case .sparse(let s):
      return s.column(c)
    }
  }

  /// Refuses NaN and infinities, naming the first offending row and column.
  func validateFinite(at location: String) throws {
    switch self {
    case .dense(let m):
      if let bad = m.firstNonFinite() {
        throw VistaError("non-finite value at row \(bad.row), column \(bad.col)", at: location)
      }
    case .sparse(let s):
      for r in 0..<s.rows {
        for e in s.rowPointers[r]..<s.rowPointers[r + 1] where !s.values[e].isFinite {
          throw VistaError("non-finite value at row \(r), column \(s.columnIndices[e])", at: location)
        }
      }
    }
  }
}
