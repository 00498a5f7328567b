/// A compact, strict JSON writer for `JSONValue` that appends UTF-8 straight into a byte buffer.
///
/// Written by hand because every Jupyter message is encoded several times on the hot path and
/// Foundation's JSONSerialization costs tens of microseconds per message. NaN and infinities
/// become `null`, as the protocol's peers parse with `allow_nan=False`.
extension JSONValue {
  /// The value as compact JSON bytes.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    encode(into: &out)
    return out
  }

  /// The value as a compact JSON string.
  public var jsonString: String { String(decoding: encoded(), as: UTF8.self) }

  /// Appends the compact JSON text of this value to `out`.
  public func encode(into out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: JSONWriter.nullBytes)
    case .bool(let b): out.append(contentsOf: b ? JSONWriter.trueBytes : JSONWriter.falseBytes)
    case .int(let i): JSONWriter.appendInt(i, to: &out)
    case .double(let d): JSONWriter.appendDouble(d, to: &out)
    case .string(let s): JSONWriter.appendString(s, to: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      var first = true
      for item in items {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        item.encode(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let fields):
      out.append(UInt8(ascii: "{"))
      var first = true
      for (key, value) in fields {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONWriter.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        value.encode(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}

/// Low-level pieces of the JSON writer, shared with the message builder that writes headers directly.
public enum JSONWriter {
  static let nullBytes: [UInt8] = Array("null".utf8)
  static let trueBytes: [UInt8] = Array("true".utf8)
  static let falseBytes: [UInt8] = Array("false".utf8)
  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends a decimal integer without going through `String`.
  public static func appendInt(_ value: Int, to out: inout [UInt8]) {
    if value == 0 { out.append(UInt8(ascii: "0")); return }
    var magnitude = value.magnitude
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { scratch in
      while magnitude > 0 {
        scratch[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
        magnitude /= 10
        count += 1
      }
      out.append(contentsOf: scratch[(24 - count)...])
    }
  }

  /// Appends a double in the shortest form that round-trips; non-finite values become `null`.
  public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
    guard value.isFinite else { out.append(contentsOf: nullBytes); return }
    if value == value.rounded(), abs(value) < 1e15 {
      appendInt(Int(value), to: &out)
      out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
      return
    }
    // Swift's description is the shortest round-tripping form ("1e-07", "0.1", "1.5e+20" is "1.5e+20").
    out.append(contentsOf: value.description.utf8)
  }

  /// Appends a quoted JSON string, escaping quotes, backslashes and control characters.
  public static func appendString(_ string: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = string
    s.withUTF8 { bytes in
      var runStart = 0
      var i = 0
      let n = bytes.count
      while i < n {
        let byte = bytes[i]
        if byte >= 0x20 && byte != 0x22 && byte != 0x5C { i += 1; continue }
        if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
          out.append(contentsOf: [UInt8(ascii: "u"), 48, 48, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]])
        }
        i += 1
        runStart = i
      }
      if n > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
    }
    out.append(UInt8(ascii: "\""))
  }
}
