import Foundation
import VistaCore

/// Appends values to a little-endian binary buffer: the payload format of cached artefacts.
///
/// Arrays of numbers are written as a count followed by their raw bytes (one `memcpy`), so a
/// 100 MB code matrix serialises at memory speed. Strings are UTF-8 with a byte count.
public struct BinaryWriter {
  public private(set) var data = Data()

  public init() {}

  public mutating func write<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
  }

  public mutating func write(_ value: Int) { write(Int64(value)) }

  public mutating func write(_ value: Float) { write(value.bitPattern) }

  public mutating func write(_ value: Double) { write(value.bitPattern) }

  public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

  public mutating func write(_ value: String) {
    let utf8 = Array(value.utf8)
    write(Int64(utf8.count))
    data.append(contentsOf: utf8)
  }

  /// Raw element bytes of a trivial type (Float, Int32, UInt8 ...) preceded by the element count.
  /// Assumes a little-endian host, as every platform Swift targets today.
  public mutating func writeArray<T: BitwiseCopyable>(_ values: [T]) {
    write(Int64(values.count))
    values.withUnsafeBytes { data.append(contentsOf: $0) }
  }

  public mutating func write(_ values: [Float]) { writeArray(values) }
  public mutating func write(_ values: [Double]) { writeArray(values) }
  public mutating func write(_ values: [Int32]) { writeArray(values) }
  public mutating func write(_ values: [UInt8]) { writeArray(values) }
  /// Ints are widened to Int64 on disk so files do not depend on the platform's word size.
  public mutating func write(_ values: [Int]) { writeArray(values.map { Int64($0) }) }

  public mutating func write(_ values: [String]) {
    write(Int64(values.count))
    for value in values { write(value) }
  }

  public mutating func write(_ matrix: Matrix) {
    write(matrix.rows)
    write(matrix.cols)
    write(matrix.storage)
  }

  public mutating func write(_ matrix: SparseMatrix) {
    write(matrix.rows)
    write(matrix.cols)
    write(matrix.rowPointers)
    write(matrix.columnIndices)
    write(matrix.values)
  }
}

/// Reads what `BinaryWriter` wrote, refusing truncated or inconsistent input with a `VistaError`.
public struct BinaryReader {
  private let data: Data
  public private(set) var offset: Int

  public init(_ data: Data) {
    self.data = data
    self.offset = data.startIndex
  }

  /// True once every byte was consumed.
  public var isAtEnd: Bool { offset == data.endIndex }

  private mutating func take(_ count: Int) throws -> Range<Int> {
    guard count >= 0, data.endIndex - offset >= count else {
      throw VistaError("cached artefact is truncated (needs \(count) bytes at offset \(offset - data.startIndex))")
    }
    defer { offset += count }
    return offset..<(offset + count)
  }

  public mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
    let range = try take(MemoryLayout<T>.size)
    var value: T = 0
    _ = withUnsafeMutableBytes(of: &value) { target in data.copyBytes(to: target, from: range) }
    return T(littleEndian: value)
  }

  public mutating func readInt() throws -> Int {
    let value = try read(Int64.self)
    guard let int = Int(exactly: value) else { throw VistaError("cached integer \(value) does not fit") }
    return int
  }

  public mutating func readFloat() throws -> Float { Float(bitPattern: try read(UInt32.self)) }
  public mutating func readDouble() throws -> Double { Double(bitPattern: try read(UInt64.self)) }
  public mutating func readBool() throws -> Bool { try read(UInt8.self) != 0 }

  public mutating func readString() throws -> String {
    let count = try readCount(elementSize: 1)
    let range = try take(count)
    guard let string = String(bytes: data[range], encoding: .utf8) else {
      throw VistaError("cached string is not valid UTF-8")
    }
    return string
  }

  private mutating func readCount(elementSize: Int) throws -> Int {
    let count = try readInt()
    guard count >= 0, count <= (data.endIndex - offset) / max(elementSize, 1) else {
      throw VistaError("cached array claims \(count) elements, more than the bytes left")
    }
    return count
  }

  public mutating func readArray<T: BitwiseCopyable>(_: T.Type) throws -> [T] {
    let count = try readCount(elementSize: MemoryLayout<T>.stride)
    let range = try take(count * MemoryLayout<T>.stride)
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      data.copyBytes(to: UnsafeMutableRawBufferPointer(buffer), from: range)
      initialized = count
    }
  }

  public mutating func readFloats() throws -> [Float] { try readArray(Float.self) }
  public mutating func readDoubles() throws -> [Double] { try readArray(Double.self) }
  public mutating func readInt32s() throws -> [Int32] { try readArray(Int32.self) }
  public mutating func readBytes() throws -> [UInt8] { try readArray(UInt8.self) }
  public mutating func readInts() throws -> [Int] { try readArray(Int64.self).map { Int($0) } }

  public mutating func readStrings() throws -> [String] {
    let count = try readCount(elementSize: 8)
    var values: [String] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(try readString()) }
    return values
  }

  public mutating func readMatrix() throws -> Matrix {
    let rows = try readInt(), cols = try readInt()
    let storage = try readFloats()
    guard rows >= 0, cols >= 0, storage.count == rows * cols else {
      throw VistaError("cached matrix \(rows)x\(cols) has \(storage.count) values")
    }
    return Matrix(rows: rows, cols: cols, storage: storage)
  }

  public mutating func readSparseMatrix() throws -> SparseMatrix {
    let rows = try readInt(), cols = try readInt()
    let pointers = try readInts()
    let indices = try readInt32s()
    let values = try readFloats()
    guard rows >= 0, cols >= 0, pointers.count == rows + 1, indices.count == values.count,
      pointers.first == 0, pointers.last == values.count
    else { throw VistaError("cached sparse matrix \(rows)x\(cols) is inconsistent") }
    return SparseMatrix(rows: rows, cols: cols, rowPointers: pointers, columnIndices: indices, values: values)
  }

  /// Throws unless every byte was consumed (a payload of the wrong type usually leaves bytes over).
  public func expectEnd() throws {
    guard isAtEnd else { throw VistaError("cached artefact has \(data.endIndex - offset) unexpected trailing bytes") }
  }
}

/// One-call conversions of common artefact types to and from cache payloads.
public enum ArtifactSerialization {
  public static func encode(_ matrix: Matrix) -> Data {
    var writer = BinaryWriter(); writer.write(matrix); return writer.data
  }

  public static func decodeMatrix(_ data: Data) throws -> Matrix {
    var reader = BinaryReader(data); let value = try reader.readMatrix(); try reader.expectEnd(); return value
  }

  public static func encode(_ matrix: SparseMatrix) -> Data {
    var writer = BinaryWriter(); writer.write(matrix); return writer.data
  }

  public static func decodeSparseMatrix(_ data: Data) throws -> SparseMatrix {
    var reader = BinaryReader(data); let value = try reader.readSparseMatrix(); try reader.expectEnd(); return value
  }

  public static func encode(_ values: [Float]) -> Data {
    var writer = BinaryWriter(); writer.write(values); return writer.data
  }

  public static func decodeFloats(_ data: Data) throws -> [Float] {
    var reader = BinaryReader(data); let value = try reader.readFloats(); try reader.expectEnd(); return value
  }

  public static func encode(_ values: [Int]) -> Data {
    var writer = BinaryWriter(); writer.write(values); return writer.data
  }

  public static func decodeInts(_ data: Data) throws -> [Int] {
    var reader = BinaryReader(data); let value = try reader.readInts(); try reader.expectEnd(); return value
  }

  public static func encode(_ values: [String]) -> Data {
    var writer = BinaryWriter(); writer.write(values); return writer.data
  }

  public static func decodeStrings(_ data: Data) throws -> [String] {
    var reader = BinaryReader(data); let value = try reader.readStrings(); try reader.expectEnd(); return value
  }

  /// Any Codable value as JSON with sorted keys (small metadata, parameters); use the binary forms for arrays.
  public static func encodeCodable<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
  }

  public static func decodeCodable<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    try JSONDecoder().decode(type, from: data)
  }
}
