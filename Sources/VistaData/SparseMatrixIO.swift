import Foundation
import VistaCore

/// Saving and loading CSR matrices (SAE codes): as a scipy-compatible `.npz`
/// (`data`, `indices`, `indptr`, `shape`, `format` = "csr", loadable with `scipy.sparse.load_npz`)
/// or as `.safetensors` with `data`/`indices`/`indptr`/`shape` tensors.
public enum SparseMatrixIO {
  public static func write(_ matrix: SparseMatrix, to url: URL) throws {
    if url.pathExtension.lowercased() == "safetensors" {
      try Safetensors.write(tensors(matrix), metadata: ["format": "csr"], to: url)
    } else {
      var entries = try tensors(matrix).map { ($0.name, try NPY.encode($0)) }
      entries.append(("format", formatMarker()))
      try NPZ.write(entries: entries, to: url, compressed: false)
    }
  }

  public static func read(_ url: URL) throws -> SparseMatrix {
    let file = url.lastPathComponent
    let byName: [String: Tensor]
    if url.pathExtension.lowercased() == "safetensors" {
      byName = Dictionary(uniqueKeysWithValues: try Safetensors.read(url).tensors.map { ($0.name, $0) })
    } else {
      // Only the four numeric arrays: scipy's `format` entry is a numpy string VISTA does not decode.
      var found: [String: Tensor] = [:]
      let present = Set(try NPZ.arrayNames(url))
      for name in ["data", "indices", "indptr", "shape"] where present.contains(name) { found[name] = try NPZ.read(url, array: name) }
      byName = found
    }
    func need(_ name: String) throws -> Tensor {
      guard let t = byName[name] else {
        throw VistaError("not a CSR matrix file: array \"\(name)\" is missing (needs data, indices, indptr, shape)", at: file)
      }
      return t
    }
    let shape = try need("shape").integers()
    guard shape.count == 2 else { throw VistaError("shape must have 2 entries, found \(shape)", at: "\(file):shape") }
    let (rows, cols) = (shape[0], shape[1])
    let pointers = try need("indptr").integers()
    let indices = try need("indices").integers()
    let values = try need("data").floats(allowNonFinite: true)  // checked below, where the row is known
    guard pointers.count == rows + 1 else {
      throw VistaError("indptr has \(pointers.count) entries, a \(rows)-row matrix needs \(rows + 1)", at: "\(file):indptr")
    }
    guard indices.count == values.count, pointers.last == values.count, pointers.first == 0 else {
      throw VistaError("indptr, indices and data disagree (\(pointers.last ?? -1) vs \(indices.count) vs \(values.count) entries)", at: file)
    }
    for r in 0..<rows where pointers[r] > pointers[r + 1] {
      throw VistaError("indptr decreases at row \(r)", at: "\(file):indptr")
    }
    if let bad = indices.firstIndex(where: { $0 < 0 || $0 >= cols }) {
      throw VistaError("column index \(indices[bad]) out of range 0..<\(cols) at entry \(bad)", at: "\(file):indices")
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      // The row owning stored entry `bad`: the last row whose first entry is at or before it.
      let row = min(pointers.lastIndex { $0 <= bad } ?? 0, rows - 1)
      throw VistaError("the matrix holds \(values[bad].isNaN ? "NaN" : "Inf") at row \(row), latent \(indices[bad]); values must be finite",
                       at: file)
    }
    var matrix = SparseMatrix(rows: rows, cols: cols, rowPointers: pointers, columnIndices: indices.map { Int32($0) }, values: values)
    sortRows(&matrix)
    return matrix
  }

  static func tensors(_ m: SparseMatrix) -> [Tensor] {
    [
      Tensor(name: "data", shape: [m.values.count], floats: m.values),
      Tensor(name: "indices", shape: [m.columnIndices.count], int32s: m.columnIndices),
      Tensor(name: "indptr", shape: [m.rowPointers.count], int64s: m.rowPointers.map(Int64.init)),
      Tensor(name: "shape", shape: [2], int64s: [Int64(m.rows), Int64(m.cols)]),
    ]
  }

  /// scipy's `format` entry: a 0-d `'<U3'` array holding "csr" (UTF-32 little-endian).
  static func formatMarker() -> Data {
    var bytes = Data()
    for scalar in "csr".unicodeScalars {
      var v = UInt32(scalar.value).littleEndian
      withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }
    return NPY.encode(descr: "<U3", shape: [], payload: bytes)
  }

  /// scipy does not promise sorted column indices; VistaCore's binary search needs them.
  static func sortRows(_ m: inout SparseMatrix) {
    for r in 0..<m.rows {
      let range = m.rowPointers[r]..<m.rowPointers[r + 1]
      if range.count < 2 { continue }
      var sorted = true
      for k in range.dropFirst() where m.columnIndices[k - 1] >= m.columnIndices[k] { sorted = false; break }
      if sorted { continue }
      let pairs = zip(m.columnIndices[range], m.values[range]).sorted { $0.0 < $1.0 }
      for (offset, pair) in pairs.enumerated() {
        m.columnIndices[range.lowerBound + offset] = pair.0
        m.values[range.lowerBound + offset] = pair.1
      }
    }
  }
}
