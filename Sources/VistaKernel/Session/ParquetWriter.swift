import Foundation
import VistaCore

/// One column of a Parquet table: all values of one type, none missing.
public enum ParquetColumn: Sendable {
  case strings([String])
  case floats([Float])
  case int64s([Int])

  var count: Int {
    switch self {
    case .strings(let values): return values.count
    case .floats(let values): return values.count
    case .int64s(let values): return values.count
    }
  }
}

/// Writes a flat table as an Apache Parquet file: one row group, one uncompressed PLAIN data page per
/// column, every column required (no nulls). That is the simplest layout every reader accepts
/// (`pandas.read_parquet`, `pyarrow`, R's `arrow::read_parquet`, DuckDB).
///
/// The footer is Parquet's Thrift metadata in the compact protocol, written by `ThriftCompactWriter`.
public enum ParquetWriter {
  /// The Parquet physical types used here (parquet.thrift `Type`).
  enum PhysicalType: Int32 {
    case int64 = 2, float = 4, byteArray = 6
  }

  /// The file bytes for `columns` (name, values), all of the same length.
  public static func encode(_ columns: [(name: String, values: ParquetColumn)]) throws -> Data {
    let rows = columns.first?.values.count ?? 0
    if let odd = columns.first(where: { $0.values.count != rows }) {
      throw VistaError("column \(odd.name) has \(odd.values.count) values, the table has \(rows) rows", at: "parquet")
    }
    var file = Data("PAR1".utf8)
    var chunks: [(name: String, type: PhysicalType, offset: Int, size: Int)] = []
    for column in columns {
      let (type, values) = plainValues(column.values)
      var header = ThriftCompactWriter()
      header.writeStruct { page in
        page.field(1, i32: 0)  // DATA_PAGE
        page.field(2, i32: Int32(values.count))  // uncompressed_page_size
        page.field(3, i32: Int32(values.count))  // compressed_page_size
        page.field(5) { dataPage in  // data_page_header
          dataPage.field(1, i32: Int32(rows))  // num_values
          dataPage.field(2, i32: 0)  // PLAIN
          dataPage.field(3, i32: 3)  // definition levels: RLE (none written: required column)
          dataPage.field(4, i32: 3)  // repetition levels: RLE
        }
      }
      let offset = file.count
      file.append(header.data)
      file.append(values)
      chunks.append((column.name, type, offset, header.data.count + values.count))
    }

    var footer = ThriftCompactWriter()
    footer.writeStruct { meta in
      meta.field(1, i32: 1)  // version
      meta.field(2, structs: [nil] + columns.map { Optional($0) }) { element, column in
        if let column {
          let type = plainType(column.values)
          element.field(1, i32: type.rawValue)
          element.field(3, i32: 0)  // REQUIRED
          element.field(4, string: column.name)
          if type == .byteArray {
            element.field(6, i32: 0)  // converted type UTF8
            element.field(10) { logical in logical.field(1) { _ in } }  // LogicalType.STRING
          }
        } else {
          element.field(4, string: "schema")
          element.field(5, i32: Int32(columns.count))
        }
      }
      meta.field(3, i64: Int64(rows))
      meta.field(4, structs: [0]) { group, _ in
        group.field(1, structs: chunks) { chunk, entry in
          chunk.field(2, i64: Int64(entry.offset))  // file_offset
          chunk.field(3) { column in  // meta_data
            column.field(1, i32: entry.type.rawValue)
            column.field(2, i32s: [0, 3])  // PLAIN, RLE
            column.field(3, strings: [entry.name])
            column.field(4, i32: 0)  // UNCOMPRESSED
            column.field(5, i64: Int64(rows))
            column.field(6, i64: Int64(entry.size))
            column.field(7, i64: Int64(entry.size))
            column.field(9, i64: Int64(entry.offset))  // data_page_offset
          }
        }
        group.field(2, i64: Int64(chunks.reduce(0) { $0 + $1.size }))
        group.field(3, i64: Int64(rows))
      }
      meta.field(6, string: "vista version 0.1.0")
    }
    file.append(footer.data)
    let length = UInt32(footer.data.count)
    file.append(contentsOf: [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: length >> UInt32($0)) })
    file.append(Data("PAR1".utf8))
    return file
  }

  private static func plainType(_ column: ParquetColumn) -> PhysicalType {
    switch column {
    case .strings: return .byteArray
    case .floats: return .float
    case .int64s: return .int64
    }
  }

  /// PLAIN encoding: byte arrays as a 4-byte little-endian length and the bytes; numbers little-endian.
  private static func plainValues(_ column: ParquetColumn) -> (PhysicalType, Data) {
    var data = Data()
    switch column {
    case .strings(let values):
      for value in values {
        let bytes = Array(value.utf8)
        let length = UInt32(bytes.count)
        data.append(contentsOf: [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: length >> UInt32($0)) })
        data.append(contentsOf: bytes)
      }
    case .floats(let values):
      values.withUnsafeBytes { data.append(contentsOf: $0) }
    case .int64s(let values):
      values.map { Int64($0).littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    return (plainType(column), data)
  }
}

/// The Thrift compact protocol, as much of it as Parquet metadata needs: structs of i32, i64, string,
/// nested structs and lists. Field ids are written as deltas from the previous field of the same struct.
public struct ThriftCompactWriter {
  public private(set) var data = Data()
  private var lastFieldIDs: [Int16] = []

  enum CompactType: UInt8 {
    case i32 = 5, i64 = 6, binary = 8, list = 9, structure = 12
  }

  public init() {}

  /// Writes a struct whose fields `body` adds, followed by the stop byte.
  public mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
    lastFieldIDs.append(0)
    body(&self)
    data.append(0)
    lastFieldIDs.removeLast()
  }

  public mutating func field(_ id: Int16, i32 value: Int32) {
    fieldHeader(id, .i32)
    varint(zigzag(Int64(value)))
  }

  public mutating func field(_ id: Int16, i64 value: Int64) {
    fieldHeader(id, .i64)
    varint(zigzag(value))
  }

  public mutating func field(_ id: Int16, string value: String) {
    fieldHeader(id, .binary)
    binary(value)
  }

  /// A nested struct field.
  public mutating func field(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
    fieldHeader(id, .structure)
    writeStruct(body)
  }

  public mutating func field(_ id: Int16, i32s values: [Int32]) {
    fieldHeader(id, .list)
    listHeader(values.count, .i32)
    for value in values { varint(zigzag(Int64(value))) }
  }

  public mutating func field(_ id: Int16, strings values: [String]) {
    fieldHeader(id, .list)
    listHeader(values.count, .binary)
    for value in values { binary(value) }
  }

  /// A list of structs, one per element, each written by `body`.
  public mutating func field<Element>(
    _ id: Int16, structs elements: [Element], _ body: (inout ThriftCompactWriter, Element) -> Void
  ) {
    fieldHeader(id, .list)
    listHeader(elements.count, .structure)
    for element in elements { writeStruct { body(&$0, element) } }
  }

  private mutating func fieldHeader(_ id: Int16, _ type: CompactType) {
    let last = lastFieldIDs.last ?? 0
    let delta = Int(id) - Int(last)
    if delta > 0 && delta <= 15 {
      data.append(UInt8(delta << 4) | type.rawValue)
    } else {
      data.append(type.rawValue)
      varint(zigzag(Int64(id)))
    }
    if !lastFieldIDs.isEmpty { lastFieldIDs[lastFieldIDs.count - 1] = id }
  }

  private mutating func listHeader(_ count: Int, _ type: CompactType) {
    if count < 15 {
      data.append(UInt8(count << 4) | type.rawValue)
    } else {
      data.append(0xF0 | type.rawValue)
      varint(UInt64(count))
    }
  }

  private mutating func binary(_ value: String) {
    let bytes = Array(value.utf8)
    varint(UInt64(bytes.count))
    data.append(contentsOf: bytes)
  }

  private mutating func varint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      data.append(UInt8(rest & 0x7F) | 0x80)
      rest >>= 7
    }
    data.append(UInt8(rest))
  }

  private func zigzag(_ value: Int64) -> UInt64 {
    UInt64(bitPattern: (value << 1) ^ (value >> 63))
  }
}
