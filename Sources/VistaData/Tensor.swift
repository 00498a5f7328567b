import Foundation
import VistaCore

/// One named n-dimensional array as stored on disk: shape, dtype and little-endian C-order bytes.
///
/// Conversions (`floats`, `matrix`, `integers`) check what the caller needs (dtype, rank, finiteness)
/// and fail with an error naming the file and tensor (`origin`, e.g. "params.npz:W_enc").
public struct Tensor: Sendable {
  public var name: String
  public var shape: [Int]
  public var dtype: TensorDType
  /// Raw little-endian bytes in C (row-major) order; `elementCount * dtype.byteSize` long.
  public var bytes: Data
  /// "file:tensor" for messages.
  public var origin: String

  public init(name: String, shape: [Int], dtype: TensorDType, bytes: Data, origin: String = "") {
    self.name = name
    self.shape = shape
    self.dtype = dtype
    self.bytes = bytes
    self.origin = origin.isEmpty ? name : origin
  }

  public var elementCount: Int { shape.reduce(1, *) }

  /// A float32 tensor holding `values` with `shape`.
  public init(name: String, shape: [Int], floats values: [Float]) {
    precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
    self.init(name: name, shape: shape, dtype: .float32, bytes: values.withUnsafeBufferPointer { Data(buffer: $0) })
  }

  /// An int64 tensor holding `values` with `shape`.
  public init(name: String, shape: [Int], int64s values: [Int64]) {
    precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
    self.init(name: name, shape: shape, dtype: .int64, bytes: values.withUnsafeBufferPointer { Data(buffer: $0) })
  }

  /// An int32 tensor holding `values` with `shape`.
  public init(name: String, shape: [Int], int32s values: [Int32]) {
    precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
    self.init(name: name, shape: shape, dtype: .int32, bytes: values.withUnsafeBufferPointer { Data(buffer: $0) })
  }

  /// A float32 rows x cols tensor from a matrix.
  public init(name: String, matrix: Matrix) {
    self.init(name: name, shape: [matrix.rows, matrix.cols], floats: matrix.storage)
  }

  /// All elements as Float (f16, bf16, f32, f64; integers converted). Refuses NaN and Inf unless `allowNonFinite`.
  public func floats(allowNonFinite: Bool = false) throws -> [Float] {
    let n = elementCount
    var out = [Float](repeating: 0, count: n)
    bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      out.withUnsafeMutableBufferPointer { dst in
        switch dtype {
        case .float32:
          // Little-endian host (x86-64, arm64): a straight copy.
          if n > 0 { UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * 4) }
        case .float64:
          for i in 0..<n { dst[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
        case .float16:
          for i in 0..<n { dst[i] = HalfPrecision.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        case .bfloat16:
          for i in 0..<n { dst[i] = HalfPrecision.float(fromBFloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        case .int32:
          for i in 0..<n { dst[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
        case .int64:
          for i in 0..<n { dst[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
        }
      }
    }
    if !allowNonFinite, let bad = out.firstIndex(where: { !$0.isFinite }) {
      throw VistaError("\(out[bad].isNaN ? "NaN" : "Inf") at element \(describeIndex(bad)); the data must be finite", at: origin)
    }
    return out
  }

  /// All elements as Int (integer dtypes, or floats that are whole numbers).
  public func integers() throws -> [Int] {
    let n = elementCount
    switch dtype {
    case .int64:
      return bytes.withUnsafeBytes { raw in (0..<n).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) } }
    case .int32:
      return bytes.withUnsafeBytes { raw in (0..<n).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) } }
    default:
      let values = try floats()
      var out = [Int](repeating: 0, count: n)
      for (i, v) in values.enumerated() {
        guard v == v.rounded() else { throw VistaError("expected integers, found \(v) at element \(describeIndex(i))", at: origin) }
        out[i] = Int(v)
      }
      return out
    }
  }

  /// A 2-D tensor as a dense Matrix (a 1-D tensor becomes one row). `expectedColumns` checks the width.
  public func matrix(expectedColumns: Int? = nil) throws -> Matrix {
    let (rows, cols): (Int, Int)
    switch shape.count {
    case 2: (rows, cols) = (shape[0], shape[1])
    case 1: (rows, cols) = (1, shape[0])
    default: throw VistaError("expected a 2-D array (rows x columns), found shape \(shapeText)", at: origin)
    }
    if let expectedColumns, cols != expectedColumns {
      throw VistaError("shape mismatch: expected \(expectedColumns) columns, found shape \(shapeText)", at: origin)
    }
    return Matrix(rows: rows, cols: cols, storage: try floats())
  }

  /// A 1-D tensor as floats, checking its length when `expectedCount` is given.
  public func vector(expectedCount: Int? = nil) throws -> [Float] {
    guard shape.count == 1 || (shape.count == 2 && shape[0] == 1) else {
      throw VistaError("expected a 1-D array, found shape \(shapeText)", at: origin)
    }
    if let expectedCount, elementCount != expectedCount {
      throw VistaError("shape mismatch: expected \(expectedCount) values, found shape \(shapeText)", at: origin)
    }
    return try floats()
  }

  public var shapeText: String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }

  func describeIndex(_ flat: Int) -> String {
    guard shape.count > 1 else { return "[\(flat)]" }
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
      index[d] = rest % shape[d]
      rest /= shape[d]
    }
    return "[" + index.map(String.init).joined(separator: ", ") + "]"
  }
}

extension Tensor {
  /// Rows `range` of a 2-D tensor converted to Float into `destination` (`cols` values per row), refusing
  /// NaN and Inf. Lets big activation files be streamed in blocks straight from the memory map.
  public func copyRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) throws {
    guard shape.count == 2 else { throw VistaError("expected a 2-D array (tokens x features), found shape \(shapeText)", at: origin) }
    let cols = shape[1]
    precondition(range.lowerBound >= 0 && range.upperBound <= shape[0], "row range out of bounds")
    let first = range.lowerBound * cols, n = range.count * cols
    bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      let size = dtype.byteSize
      switch dtype {
      case .float32:
        if n > 0 { UnsafeMutableRawPointer(destination).copyMemory(from: raw.baseAddress! + first * 4, byteCount: n * 4) }
      case .float64:
        for i in 0..<n { destination[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: (first + i) * size, as: UInt64.self)))) }
      case .float16:
        for i in 0..<n { destination[i] = HalfPrecision.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: (first + i) * size, as: UInt16.self))) }
      case .bfloat16:
        for i in 0..<n { destination[i] = HalfPrecision.float(fromBFloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: (first + i) * size, as: UInt16.self))) }
      case .int32:
        for i in 0..<n { destination[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: (first + i) * size, as: Int32.self))) }
      case .int64:
        for i in 0..<n { destination[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: (first + i) * size, as: Int64.self))) }
      }
    }
    for i in 0..<n where !destination[i].isFinite {
      throw VistaError("\(destination[i].isNaN ? "NaN" : "Inf") at row \(range.lowerBound + i / max(cols, 1)), column \(i % max(cols, 1)); activations must be finite", at: origin)
    }
  }
}
