import Foundation
import JupyterKernel
import VistaCore

/// The columns `export layout` writes: one row per mapped caption.
public struct LayoutTable: Sendable, Equatable {
  public var ids: [String]
  public var captions: [String]
  public var x: [Float]
  public var y: [Float]
  /// Tile (map cell) index per caption; nil when no map was built.
  public var tile: [Int]?
  /// Cluster index per caption; nil when not clustered.
  public var cluster: [Int]?
  /// The selected latent's activation per caption.
  public var activation: [Float]

  public init(
    ids: [String], captions: [String], x: [Float], y: [Float], tile: [Int]? = nil, cluster: [Int]? = nil,
    activation: [Float]
  ) {
    self.ids = ids
    self.captions = captions
    self.x = x
    self.y = y
    self.tile = tile
    self.cluster = cluster
    self.activation = activation
  }

  public var count: Int { ids.count }

  /// Throws a `VistaError` naming the first column whose length differs from `ids`.
  public func validate() throws {
    let lengths: [(String, Int?)] = [
      ("captions", captions.count), ("x", x.count), ("y", y.count), ("tile", tile?.count), ("cluster", cluster?.count),
      ("activation", activation.count),
    ]
    for (name, length) in lengths {
      if let length, length != ids.count {
        throw VistaError("column \(name) has \(length) values but there are \(ids.count) ids", at: "export layout")
      }
    }
  }

  /// Column names in the order every format writes them (optional columns only when present).
  public var columnNames: [String] {
    ["id", "caption", "x", "y"] + (tile == nil ? [] : ["tile"]) + (cluster == nil ? [] : ["cluster"]) + ["activation"]
  }
}

/// The file formats of `export layout`.
public enum LayoutExportFormat: String, CaseIterable, Sendable {
  /// RFC 4180 CSV: header row, CRLF line ends, fields quoted when they hold a comma, quote or line break.
  case csv
  /// JSON Lines: one object per row, keys in column order.
  case jsonl
  /// A folder of NumPy `.npy` files, one per column, plus `schema.json`: columnar, typed, no parser needed
  /// (`numpy.load`, `pandas.DataFrame({c: np.load(...)})`, R's `RcppCNPy`). Strings are fixed-width UTF-32
  /// (`<U<n>`), numbers little-endian `<f4` / `<i8`.
  case columns
  /// Apache Parquet: one row group, uncompressed PLAIN pages, strings as UTF-8 (`pandas.read_parquet`,
  /// `arrow::read_parquet`, DuckDB).
  case parquet

  /// The format a path implies: `.csv`, `.jsonl`/`.ndjson`, `.parquet`, anything else (a folder) columns.
  public static func inferred(from url: URL) -> LayoutExportFormat {
    switch url.pathExtension.lowercased() {
    case "csv": return .csv
    case "jsonl", "ndjson": return .jsonl
    case "parquet", "pq": return .parquet
    default: return .columns
    }
  }
}

/// Writes a `LayoutTable` for pandas or R.
public enum LayoutExport {
  /// Writes `table` to `url` in `format` (inferred from the path when nil). Returns the paths written.
  @discardableResult
  public static func write(_ table: LayoutTable, to url: URL, format: LayoutExportFormat? = nil) throws -> [URL] {
    try table.validate()
    let format = format ?? LayoutExportFormat.inferred(from: url)
    do {
      switch format {
      case .csv:
        try createParent(of: url)
        try Data(csv(table).utf8).write(to: url, options: .atomic)
        return [url]
      case .jsonl:
        try createParent(of: url)
        try Data(jsonLines(table).utf8).write(to: url, options: .atomic)
        return [url]
      case .columns:
        return try writeColumns(table, to: url)
      case .parquet:
        try createParent(of: url)
        try parquet(table).write(to: url, options: .atomic)
        return [url]
      }
    } catch let error as VistaError {
      throw error
    } catch {
      throw VistaError("cannot write layout export: \(error.localizedDescription)", at: url.path)
    }
  }

  /// The table as RFC 4180 CSV text.
  public static func csv(_ table: LayoutTable) -> String {
    var out = table.columnNames.joined(separator: ",") + "\r\n"
    for row in 0..<table.count {
      var fields = [csvField(table.ids[row]), csvField(table.captions[row]), number(table.x[row]), number(table.y[row])]
      if let tile = table.tile { fields.append(String(tile[row])) }
      if let cluster = table.cluster { fields.append(String(cluster[row])) }
      fields.append(number(table.activation[row]))
      out += fields.joined(separator: ",") + "\r\n"
    }
    return out
  }

  /// The table as a Parquet file's bytes, columns in `columnNames` order.
  public static func parquet(_ table: LayoutTable) throws -> Data {
    var columns: [(name: String, values: ParquetColumn)] = [
      ("id", .strings(table.ids)), ("caption", .strings(table.captions)), ("x", .floats(table.x)), ("y", .floats(table.y)),
    ]
    if let tile = table.tile { columns.append(("tile", .int64s(tile))) }
    if let cluster = table.cluster { columns.append(("cluster", .int64s(cluster))) }
    columns.append(("activation", .floats(table.activation)))
    return try ParquetWriter.encode(columns)
  }

  /// The table as JSON Lines text (non-finite numbers become null).
  public static func jsonLines(_ table: LayoutTable) -> String {
    var out = ""
    for row in 0..<table.count {
      var fields = [
        "\"id\":" + jsonString(table.ids[row]), "\"caption\":" + jsonString(table.captions[row]),
        "\"x\":" + jsonNumber(table.x[row]), "\"y\":" + jsonNumber(table.y[row]),
      ]
      if let tile = table.tile { fields.append("\"tile\":\(tile[row])") }
      if let cluster = table.cluster { fields.append("\"cluster\":\(cluster[row])") }
      fields.append("\"activation\":" + jsonNumber(table.activation[row]))
      out += "{" + fields.joined(separator: ",") + "}\n"
    }
    return out
  }

  /// A CSV field, quoted (with inner quotes doubled) when it holds a comma, quote, CR or LF.
  static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
      return text
    }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// The shortest text that reads back as the same Float; empty for NaN in CSV.
  static func number(_ value: Float) -> String {
    value.isFinite ? "\(value)" : (value.isNaN ? "" : (value > 0 ? "inf" : "-inf"))
  }

  static func jsonNumber(_ value: Float) -> String { value.isFinite ? "\(value)" : "null" }

  /// A JSON string literal, written by the protocol layer's JSON writer (one escaper for the whole kernel).
  static func jsonString(_ text: String) -> String { JSONValue.string(text).jsonString }

  // MARK: - Columns (.npy)

  private static func writeColumns(_ table: LayoutTable, to folder: URL) throws -> [URL] {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var written: [URL] = []
    var schema: [String] = []
    func emit(_ name: String, _ data: Data, dtype: String) throws {
      let url = folder.appendingPathComponent("\(name).npy")
      try data.write(to: url, options: .atomic)
      written.append(url)
      schema.append("    {\"name\": \(jsonString(name)), \"file\": \(jsonString(name + ".npy")), \"dtype\": \(jsonString(dtype))}")
    }
    let ids = NumPyFile.strings(table.ids)
    try emit("id", ids.data, dtype: ids.dtype)
    let captions = NumPyFile.strings(table.captions)
    try emit("caption", captions.data, dtype: captions.dtype)
    try emit("x", NumPyFile.floats(table.x), dtype: "<f4")
    try emit("y", NumPyFile.floats(table.y), dtype: "<f4")
    if let tile = table.tile { try emit("tile", NumPyFile.ints(tile), dtype: "<i8") }
    if let cluster = table.cluster { try emit("cluster", NumPyFile.ints(cluster), dtype: "<i8") }
    try emit("activation", NumPyFile.floats(table.activation), dtype: "<f4")
    let schemaText = """
      {
        "format": "vista-layout-columns-1",
        "rows": \(table.count),
        "columns": [
      \(schema.joined(separator: ",\n"))
        ]
      }

      """
    let schemaURL = folder.appendingPathComponent("schema.json")
    try Data(schemaText.utf8).write(to: schemaURL, options: .atomic)
    written.append(schemaURL)
    return written
  }

  private static func createParent(of url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  }
}

/// Writers of one-dimensional NumPy `.npy` files (format version 1.0).
public enum NumPyFile {
  /// The magic, version and a header padded so the data starts on a 64-byte boundary.
  static func header(dtype: String, count: Int) -> Data { header(dtype: dtype, shape: [count]) }

  /// The header of a C-order array of any shape.
  static func header(dtype: String, shape: [Int]) -> Data {
    let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
    var dictionary = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (\(dims)), }"
    let unpadded = 10 + dictionary.utf8.count + 1
    dictionary += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(dictionary.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
    data.append(contentsOf: Array(dictionary.utf8))
    return data
  }

  public static func floats(_ values: [Float]) -> Data {
    var data = header(dtype: "<f4", count: values.count)
    values.withUnsafeBytes { data.append(contentsOf: $0) }
    return data
  }

  /// A row-major matrix as a 2-D `<f4` array (rows x cols).
  public static func matrix(_ values: [Float], rows: Int, cols: Int) -> Data {
    precondition(values.count == rows * cols, "matrix values do not match its shape")
    var data = header(dtype: "<f4", shape: [rows, cols])
    values.withUnsafeBytes { data.append(contentsOf: $0) }
    return data
  }

  public static func ints(_ values: [Int]) -> Data {
    var data = header(dtype: "<i8", count: values.count)
    values.map { Int64($0).littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
    return data
  }

  /// Fixed-width UTF-32 strings (`<U<n>`, n = the longest string in scalars, at least 1).
  public static func strings(_ values: [String]) -> (data: Data, dtype: String) {
    let scalars = values.map { Array($0.unicodeScalars) }
    let width = max(1, scalars.map(\.count).max() ?? 1)
    let dtype = "<U\(width)"
    var data = header(dtype: dtype, count: values.count)
    var codes = [UInt32](repeating: 0, count: width * values.count)
    for (row, string) in scalars.enumerated() {
      for (i, scalar) in string.enumerated() { codes[row * width + i] = scalar.value.littleEndian }
    }
    codes.withUnsafeBytes { data.append(contentsOf: $0) }
    return (data, dtype)
  }
}
