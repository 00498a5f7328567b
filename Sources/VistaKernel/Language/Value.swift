import Foundation

/// A literal value of the command language, before an option's kind gives it meaning.
///
/// Forms: numbers (`15`, `0.1`, `-2e3`), percentages (`2%`), ranges (`a..b`), lists (`a,b,c`),
/// ratios (`16:9`), sizes (`32x18`), quoted strings (`"a b"`) and bare words (`vista`, `out/dir`).
public indirect enum Value: Sendable, Equatable, CustomStringConvertible {
  case number(Double)
  case percent(Double)
  case range(Value, Value)
  case list([Value])
  case ratio(Double, Double)
  case size(Int, Int)
  case string(String)
  case word(String)

  /// Parses the raw text of a value (quotes kept).
  public static func parse(_ raw: String) -> Value {
    let chars = Array(raw)
    if chars.first == "\"" || chars.first == "'", let last = chars.last, last == chars.first, chars.count >= 2,
       topLevelSplit(chars, on: ",").count == 1 {
      return .string(Tokenizer.unquote(chars))
    }
    let parts = topLevelSplit(chars, on: ",")
    if parts.count > 1 { return .list(parts.map { parse(String($0)) }) }
    if let r = raw.range(of: ".."), !raw.hasPrefix("\"") {
      let lo = String(raw[..<r.lowerBound]), hi = String(raw[r.upperBound...])
      if !lo.isEmpty, !hi.isEmpty { return .range(parse(lo), parse(hi)) }
    }
    if raw.hasSuffix("%"), let v = number(String(raw.dropLast())) { return .percent(v) }
    if let v = number(raw) { return .number(v) }
    let lower = raw.lowercased()
    if let x = lower.firstIndex(of: "x"), let w = Int(lower[..<x]), let h = Int(lower[lower.index(after: x)...]) {
      return .size(w, h)
    }
    if let c = raw.firstIndex(of: ":"), let a = number(String(raw[..<c])),
       let b = number(String(raw[raw.index(after: c)...])) {
      return .ratio(a, b)
    }
    return .word(raw)
  }

  /// A strict decimal number (no "nan", "inf", hex).
  static func number(_ s: String) -> Double? {
    guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
          s.contains(where: { $0.isNumber }), let v = Double(s), v.isFinite else { return nil }
    return v
  }

  static func topLevelSplit(_ chars: [Character], on separator: Character) -> [ArraySlice<Character>] {
    var parts: [ArraySlice<Character>] = []
    var quote: Character?
    var start = 0
    for (i, c) in chars.enumerated() {
      if let q = quote { if c == q { quote = nil } ; continue }
      if c == "\"" || c == "'" { quote = c } else if c == separator {
        parts.append(chars[start..<i]); start = i + 1
      }
    }
    parts.append(chars[start...])
    return parts
  }

  /// The canonical text: numbers without a trailing ".0", so equal values print alike (used in cache keys).
  public var description: String {
    switch self {
    case .number(let v): return Value.format(v)
    case .percent(let v): return Value.format(v) + "%"
    case .range(let a, let b): return "\(a)..\(b)"
    case .list(let items): return items.map(\.description).joined(separator: ",")
    case .ratio(let a, let b): return "\(Value.format(a)):\(Value.format(b))"
    case .size(let w, let h): return "\(w)x\(h)"
    case .string(let s): return s.contains(where: { $0.isWhitespace || $0 == "," || $0 == "\"" }) ? Value.quote(s) : s
    case .word(let s): return s
    }
  }

  /// The value as text when it is a single word or string.
  public var text: String? {
    switch self {
    case .string(let s), .word(let s): return s
    case .number, .percent, .ratio, .size: return description
    default: return nil
    }
  }

  public var number: Double? { if case .number(let v) = self { return v } else { return nil } }

  /// Integers print without ".0"; others with up to 6 significant decimals, no exponent for everyday sizes.
  public static func format(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    var s = String(format: "%.6g", v)
    if s.contains("e") { return s }
    if s.contains(".") { while s.hasSuffix("0") { s.removeLast() } ; if s.hasSuffix(".") { s.removeLast() } }
    return s
  }

  static func quote(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
