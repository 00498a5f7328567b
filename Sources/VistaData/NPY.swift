import Foundation
import VistaCore

/// numpy's `.npy` format (versions 1, 2 and 3): magic, a Python-literal header, then raw data.
///
/// Reads f16/f32/f64/i32/i64 in C or Fortran order (Fortran is reordered to C); writes v1 C-order.
public enum NPY {
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

  /// Reads an `.npy` file (memory-mapped).
  public static func read(_ url: URL) throws -> Tensor {
    let data = try mapped(url)
    return try decode(data, name: url.deletingPathExtension().lastPathComponent, origin: url.lastPathComponent)
  }

  /// Decodes `.npy` bytes; `origin` names the file (and entry) in errors.
  public static func decode(_ data: Data, name: String, origin: String) throws -> Tensor {
    let bytes = data
    let base = bytes.startIndex
    guard bytes.count >= 10, Array(bytes[base..<(base + 6)]) == magic else {
      throw VistaError("not a .npy file (the magic \\x93NUMPY is missing)", at: origin)
    }
    let major = bytes[base + 6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[base + 8]) | Int(bytes[base + 9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw VistaError("truncated .npy header", at: origin) }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[base + 8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw VistaError("unsupported .npy version \(major)", at: origin)
    }
    guard bytes.count >= headerStart + headerLength else {
      throw VistaError("truncated .npy header: needs \(headerLength) bytes, file has \(bytes.count - headerStart)", at: origin)
    }
    let headerBytes = bytes[(base + headerStart)..<(base + headerStart + headerLength)]
    let header = major == 3 ? String(decoding: headerBytes, as: UTF8.self) : String(decoding: headerBytes, as: Unicode.ASCII.self)
    let (descr, fortran, shape) = try parseHeader(header, origin: origin)
    guard let dtype = TensorDType(numpyDescr: descr) else {
      throw VistaError("unsupported dtype '\(descr)': VISTA reads little-endian float16/32/64 and int32/64", at: origin)
    }
    let count = shape.reduce(1, *)
    let dataStart = headerStart + headerLength
    let needed = count * dtype.byteSize
    guard bytes.count - dataStart >= needed else {
      throw VistaError(
        "truncated file: the header says \(needed) bytes of data (shape \(shape), \(descr)), only \(bytes.count - dataStart) are present",
        at: origin)
    }
    // A slice, not a copy: a memory-mapped file stays mapped and only the rows read are paged in.
    var payload = bytes[(base + dataStart)..<(base + dataStart + needed)]
    if fortran && shape.count > 1 { payload = fortranToC(payload, shape: shape, elementSize: dtype.byteSize) }
    return Tensor(name: name, shape: shape, dtype: dtype, bytes: payload, origin: origin)
  }

  /// Encodes a tensor as `.npy` version 1 (version 2 when the header would not fit), C order.
  public static func encode(_ tensor: Tensor) throws -> Data {
    guard let descr = tensor.dtype.numpyDescr else {
      throw VistaError("numpy has no \(tensor.dtype.rawValue) dtype; convert to float32 first", at: tensor.origin)
    }
    return encode(descr: descr, shape: tensor.shape, payload: tensor.bytes)
  }

  /// Encodes raw payload bytes under any numpy `descr` (used for scipy's `'<U3'` format marker).
  static func encode(descr: String, shape: [Int], payload: Data) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    let v1 = header.utf8.count + 64 < 65535
    let prefix = v1 ? 10 : 12
    let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
    header += String(repeating: " ", count: padding) + "\n"
    var out = Data(magic)
    out.append(contentsOf: v1 ? [1, 0] : [2, 0])
    let length = header.utf8.count
    if v1 {
      out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    } else {
      out.append(contentsOf: (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) })
    }
    out.append(contentsOf: Array(header.utf8))
    out.append(payload)
    return out
  }

  /// Writes a tensor as `.npy`, atomically.
  public static func write(_ tensor: Tensor, to url: URL) throws {
    try encode(tensor).write(to: url, options: .atomic)
  }

  /// Writes a matrix as a float32 `.npy`.
  public static func write(_ matrix: Matrix, to url: URL) throws {
    try write(Tensor(name: url.deletingPathExtension().lastPathComponent, matrix: matrix), to: url)
  }

  /// Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
  static func parseHeader(_ header: String, origin: String) throws -> (String, Bool, [Int]) {
    func value(of key: String) -> Substring? {
      guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
      var rest = header[keyRange.upperBound...].drop(while: { $0 == " " || $0 == ":" })
      if rest.first == "(" {
        guard let close = rest.firstIndex(of: ")") else { return nil }
        return rest[rest.index(after: rest.startIndex)..<close]
      }
      if rest.first == "'" || rest.first == "\"" {
        let quote = rest.first!
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        return rest[..<close]
      }
      return rest.prefix(while: { $0.isLetter })
    }
    guard let descr = value(of: "descr"), let fortran = value(of: "fortran_order"), let shapeText = value(of: "shape") else {
      throw VistaError("malformed .npy header: \(header.trimmingCharacters(in: .whitespacesAndNewlines))", at: origin)
    }
    var shape: [Int] = []
    for part in shapeText.split(separator: ",") {
      let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
      if t.isEmpty { continue }
      guard let n = Int(t), n >= 0 else { throw VistaError("malformed shape (\(shapeText)) in .npy header", at: origin) }
      shape.append(n)
    }
    return (String(descr), fortran == "True", shape)
  }

  /// Reorders column-major bytes to row-major for any rank.
  static func fortranToC(_ data: Data, shape: [Int], elementSize: Int) -> Data {
    let count = shape.reduce(1, *)
    var out = Data(count: data.count)
    // Fortran strides (in elements): first axis fastest.
    var fortranStrides = [Int](repeating: 1, count: shape.count)
    for d in 1..<shape.count { fortranStrides[d] = fortranStrides[d - 1] * shape[d - 1] }
    data.withUnsafeBytes { (src: UnsafeRawBufferPointer) in
      out.withUnsafeMutableBytes { (dst: UnsafeMutableRawBufferPointer) in
        var index = [Int](repeating: 0, count: shape.count)
        for flat in 0..<count {
          var source = 0
          for d in 0..<shape.count { source += index[d] * fortranStrides[d] }
          memcpy(dst.baseAddress! + flat * elementSize, src.baseAddress! + source * elementSize, elementSize)
          // Advance the C-order index (last axis fastest).
          var d = shape.count - 1
          while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { break }
            index[d] = 0
            d -= 1
          }
        }
      }
    }
    return out
  }

  static func mapped(_ url: URL) throws -> Data {
    do {
      return try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw VistaError("cannot read: \((error as NSError).localizedDescription)", at: url.path)
    }
  }
}
