import Foundation

/// What an option (or positional argument) accepts, how `help` names that form, and how a literal
/// `Value` is checked and normalised into it.
public indirect enum OptionKind: Sendable, Equatable {
  case integer(min: Int? = nil, max: Int? = nil)
  case number(min: Double? = nil, max: Double? = nil)
  /// A count (`4000`) or a percentage of the whole (`2%`).
  case countOrPercent
  /// A range of percentages, `0.5%..20%`.
  case percentRange
  /// A ratio, `16:9`.
  case ratio
  /// A size in cells or pixels, `32x18`.
  case size
  /// One of a few words.
  case choice([String])
  /// Free text (a word or a quoted string).
  case text
  /// A file or directory path (completion offers paths).
  case path
  /// on/off, true/false, yes/no.
  case toggle
  /// Two integers, `12,4`.
  case integerPair
  /// Two numbers, `0.5,-1.2`.
  case point
  /// A latent (feature) number of the SAE.
  case latent
  /// A stage of the session chain.
  case stage

  /// How `help` and errors describe the accepted form.
  public var expected: String {
    switch self {
    case .integer(let lo, let hi):
      switch (lo, hi) {
      case let (lo?, hi?): return "an integer from \(lo) to \(hi)"
      case let (lo?, nil): return "an integer ≥ \(lo)"
      default: return "an integer"
      }
    case .number(let lo, let hi):
      switch (lo, hi) {
      case let (lo?, hi?): return "a number from \(Value.format(lo)) to \(Value.format(hi))"
      case let (lo?, nil): return "a number ≥ \(Value.format(lo))"
      default: return "a number"
      }
    case .countOrPercent: return "a count or a percentage (like 4000 or 2%)"
    case .percentRange: return "a range of percentages (like 0.5%..20%)"
    case .ratio: return "a ratio (like 16:9)"
    case .size: return "a size (like 32x18)"
    case .choice(let words): return "one of " + words.joined(separator: ", ")
    case .text: return "text (quote it if it has spaces)"
    case .path: return "a path"
    case .toggle: return "on or off"
    case .integerPair: return "two integers (like 12,4)"
    case .point: return "two numbers (like 0.5,-1.2)"
    case .latent: return "a latent number (an integer ≥ 0)"
    case .stage: return "a stage (" + Stage.allCases.map(\.rawValue).joined(separator: ", ") + ")"
    }
  }

  /// The value normalised for this kind, or nil when it does not fit.
  public func accept(_ value: Value) -> Value? {
    switch self {
    case .integer(let lo, let hi):
      guard case .number(let v) = value, v == v.rounded() else { return nil }
      if let lo, v < Double(lo) { return nil }
      if let hi, v > Double(hi) { return nil }
      return value
    case .number(let lo, let hi):
      guard case .number(let v) = value else { return nil }
      if let lo, v < lo { return nil }
      if let hi, v > hi { return nil }
      return value
    case .countOrPercent:
      switch value {
      case .number(let v) where v == v.rounded() && v >= 1: return value
      case .percent(let p) where p > 0 && p <= 100: return value
      default: return nil
      }
    case .percentRange:
      guard case .range(let a, let b) = value else { return nil }
      guard case .percent(let lo) = a, case .percent(let hi) = b, lo > 0, hi <= 100, lo < hi else { return nil }
      return value
    case .ratio:
      switch value {
      case .ratio(let a, let b) where a > 0 && b > 0: return value
      case .number(let v) where v > 0: return .ratio(v, 1)
      default: return nil
      }
    case .size:
      guard case .size(let w, let h) = value, w > 0, h > 0 else { return nil }
      return value
    case .choice(let words):
      guard let t = value.text, let match = words.first(where: { $0.lowercased() == t.lowercased() }) else { return nil }
      return .word(match)
    case .text:
      switch value {
      case .list, .range: return .string(value.description)
      default: return value.text.map { .string($0) }
      }
    case .path:
      switch value {
      case .string(let s), .word(let s): return .string(s)
      case .list, .range, .ratio, .size, .number, .percent: return .string(value.description)
      }
    case .toggle:
      guard let t = value.text?.lowercased() else { return nil }
      if ["on", "true", "yes", "1"].contains(t) { return .word("on") }
      if ["off", "false", "no", "0"].contains(t) { return .word("off") }
      return nil
    case .integerPair:
      guard case .list(let items) = value, items.count == 2,
            let a = items[0].number, let b = items[1].number, a == a.rounded(), b == b.rounded() else { return nil }
      return value
    case .point:
      guard case .list(let items) = value, items.count == 2, items[0].number != nil, items[1].number != nil else { return nil }
      return value
    case .latent:
      guard case .number(let v) = value, v == v.rounded(), v >= 0 else { return nil }
      return value
    case .stage:
      guard let stage = value.text.flatMap(Stage.init(name:)) else { return nil }
      return .word(stage.rawValue)
    }
  }
}
