import Foundation
import VistaCore

/// Strict UTF-8 decoding whose error says where the bad byte is (offset and line), not just "invalid".
enum TextDecoding {
  static func utf8(_ data: Data, name: String) throws -> String {
    if let text = String(data: data, encoding: .utf8) {
      // Foundation accepts only valid UTF-8 here; strip a leading BOM which editors like to add.
      return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
    let (offset, line) = firstInvalidByte(data)
    throw VistaError("invalid UTF-8 at byte offset \(offset) (line \(line)); save the file as UTF-8", at: "\(name):\(line)")
  }

  /// The offset and 1-based line of the first byte that breaks UTF-8.
  static func firstInvalidByte(_ data: Data) -> (offset: Int, line: Int) {
    let bytes = [UInt8](data)
    var i = 0, line = 1
    while i < bytes.count {
      let b = bytes[i]
      if b == 0x0A { line += 1 }
      let length: Int
      switch b {
      case 0x00...0x7F: length = 1
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: return (i, line)
      }
      if i + length > bytes.count { return (i, line) }
      for j in 1..<length where bytes[i + j] & 0xC0 != 0x80 { return (i, line) }
      // Overlong and surrogate forms.
      if length == 3 && b == 0xE0 && bytes[i + 1] < 0xA0 { return (i, line) }
      if length == 3 && b == 0xED && bytes[i + 1] >= 0xA0 { return (i, line) }
      if length == 4 && b == 0xF0 && bytes[i + 1] < 0x90 { return (i, line) }
      if length == 4 && b == 0xF4 && bytes[i + 1] >= 0x90 { return (i, line) }
      i += length
    }
    return (bytes.count, line)
  }
}
