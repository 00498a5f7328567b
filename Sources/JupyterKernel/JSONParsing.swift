/// A strict JSON reader producing `JSONValue`, working directly on UTF-8 bytes.
///
/// Hand-written for the same reason as the writer: message parsing sits on the hot path. It accepts
/// RFC 8259 JSON only (no NaN, no comments, no trailing commas) and reports the byte offset of errors.
public struct JSONParseError: Error, CustomStringConvertible, Equatable {
  public var message: String
  public var offset: Int
  public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSONValue {
  /// Parses one JSON document from `bytes` (trailing whitespace allowed, nothing else).
  public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
    var reader = JSONReader(bytes: bytes)
    reader.skipWhitespace()
    let value = try reader.readValue(depth: 0)
    reader.skipWhitespace()
    if reader.index != bytes.count { throw reader.error("unexpected trailing characters") }
    return value
  }

  public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
    try bytes.withUnsafeBytes { try parse($0) }
  }

  public static func parse(_ text: String) throws -> JSONValue {
    var copy = text
    return try copy.withUTF8 { try parse(UnsafeRawBufferPointer($0)) }
  }
}

struct JSONReader {
  let bytes: UnsafeRawBufferPointer
  var index = 0
  static let maxDepth = 512

  init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  func error(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: index) }

  mutating func skipWhitespace() {
    while index < bytes.count {
      let b = bytes[index]
      if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 } else { return }
    }
  }

  mutating func readValue(depth: Int) throws -> JSONValue {
    guard depth < JSONReader.maxDepth else { throw error("nesting too deep") }
    guard index < bytes.count else { throw error("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try readObject(depth: depth)
    case UInt8(ascii: "["): return try readArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try readString())
    case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectWord("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
    default: throw error("unexpected character")
    }
  }

  mutating func expectWord(_ word: StaticString) throws {
    let n = word.utf8CodeUnitCount
    guard index + n <= bytes.count else { throw error("unexpected end of input") }
    let p = word.utf8Start
    for k in 0..<n where bytes[index + k] != p[k] { throw error("invalid literal") }
    index += n
  }

  mutating func readObject(depth: Int) throws -> JSONValue {
    index += 1
    var fields: [String: JSONValue] = [:]
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try readString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
      index += 1
      skipWhitespace()
      fields[key] = try readValue(depth: depth + 1)
      skipWhitespace()
      guard index < bytes.count else { throw error("unterminated object") }
      let b = bytes[index]
      index += 1
      if b == UInt8(ascii: ",") { continue }
      if b == UInt8(ascii: "}") { return .object(fields) }
      index -= 1
      throw error("expected ',' or '}'")
    }
  }

  mutating func readArray(depth: Int) throws -> JSONValue {
    index += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
    while true {
      skipWhitespace()
      items.append(try readValue(depth: depth + 1))
      skipWhitespace()
      guard index < bytes.count else { throw error("unterminated array") }
      let b = bytes[index]
      index += 1
      if b == UInt8(ascii: ",") { continue }
      if b == UInt8(ascii: "]") { return .array(items) }
      index -= 1
      throw error("expected ',' or ']'")
    }
  }

  mutating func readNumber() throws -> JSONValue {
    let start = index
    var isInteger = true
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      isInteger = false
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    if isInteger, let i = Int(text) { return .int(i) }
    guard let d = Double(text), d.isFinite else { index = start; throw error("number out of range") }
    return .double(d)
  }

  @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

  mutating func readString() throws -> String {
    index += 1  // opening quote
    let start = index
    // Fast path: no escapes.
    while index < bytes.count {
      let b = bytes[index]
      if b == UInt8(ascii: "\"") {
        let s = try validatedString(start..<index)
        index += 1
        return s
      }
      if b == UInt8(ascii: "\\") { break }
      if b < 0x20 { throw error("control character in string") }
      index += 1
    }
    guard index < bytes.count else { throw error("unterminated string") }
    var buffer: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let b = bytes[index]
      if b == UInt8(ascii: "\"") {
        index += 1
        guard let s = String(validating: buffer, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
        return s
      }
      if b < 0x20 { throw error("control character in string") }
      if b != UInt8(ascii: "\\") { buffer.append(b); index += 1; continue }
      index += 1
      guard index < bytes.count else { throw error("unterminated escape") }
      let e = bytes[index]
      index += 1
      switch e {
      case UInt8(ascii: "\""): buffer.append(0x22)
      case UInt8(ascii: "\\"): buffer.append(0x5C)
      case UInt8(ascii: "/"): buffer.append(0x2F)
      case UInt8(ascii: "b"): buffer.append(0x08)
      case UInt8(ascii: "f"): buffer.append(0x0C)
      case UInt8(ascii: "n"): buffer.append(0x0A)
      case UInt8(ascii: "r"): buffer.append(0x0D)
      case UInt8(ascii: "t"): buffer.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar) {
          // A high surrogate must be followed by an escaped low surrogate.
          guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
            throw error("unpaired surrogate")
          }
          index += 2
          let low = try readHex4()
          guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
          throw error("unpaired surrogate")
        }
        guard let u = Unicode.Scalar(scalar) else { throw error("invalid escape") }
        buffer.append(contentsOf: Array(String(Character(u)).utf8))
      default:
        throw error("invalid escape")
      }
    }
    throw error("unterminated string")
  }

  mutating func readHex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[index]
      let d: UInt32
      switch b {
      case 48...57: d = UInt32(b - 48)
      case 65...70: d = UInt32(b - 55)
      case 97...102: d = UInt32(b - 87)
      default: throw error("invalid \\u escape")
      }
      v = v << 4 | d
      index += 1
    }
    return v
  }

  func validatedString(_ range: Range<Int>) throws -> String {
    let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
    // ASCII is always valid; only check multi-byte text.
    var ascii = true
    for b in slice where b >= 0x80 { ascii = false; break }
    if ascii { return String(decoding: slice, as: UTF8.self) }
    guard let s = String(validating: slice, as: UTF8.self) else {
      throw JSONParseError(message: "invalid UTF-8 in string", offset: range.lowerBound)
    }
    return s
  }
}
