import Foundation

/// A command line bound to its spec: positional arguments, options (defaults filled in) and flags,
/// with the cell position of each so a command can point at the value it rejects.
public struct Invocation: Sendable {
  public var spec: CommandSpec
  public var line: LogicalLine
  /// Positional arguments by their spec name (e.g. "PATH").
  public var arguments: [String: Value]
  /// Options by name, defaults included.
  public var options: [String: Value]
  /// Options the user typed (not defaults).
  public var explicit: Set<String>
  public var flags: Set<String>
  /// Where each typed option's value starts, for errors raised by the command itself.
  public var optionPositions: [String: SourcePosition]
  public var argumentPositions: [String: SourcePosition]
  /// Options outside the spec, in typed order, raw (for commands with `acceptsOtherOptions`).
  public var freeOptions: [(key: String, text: String, position: SourcePosition, keyPosition: SourcePosition)] = []

  /// The command as typed, on one line (continuations joined), for recipes and status.
  public var text: String { line.text.trimmingCharacters(in: .whitespaces) }

  public var position: SourcePosition { line.start }

  public func has(_ name: String) -> Bool { options[name] != nil }
  public func hasFlag(_ name: String) -> Bool { flags.contains(name) }

  // MARK: - Typed access (values were checked against their kind when bound)

  public func value(_ name: String) -> Value? { options[name] ?? arguments[name] }

  public func int(_ name: String) -> Int? { value(name)?.number.map { Int($0) } }
  public func double(_ name: String) -> Double? {
    switch value(name) {
    case .number(let v)?: return v
    case .percent(let p)?: return p / 100
    default: return nil
    }
  }
  public func string(_ name: String) -> String? { value(name)?.text }
  public func toggle(_ name: String) -> Bool? { value(name)?.text.map { $0 == "on" } }

  /// `top=4000` → .count(4000); `top=2%` → .fraction(0.02).
  public func countOrFraction(_ name: String) -> CountOrFraction? {
    switch value(name) {
    case .number(let v)?: return .count(Int(v))
    case .percent(let p)?: return .fraction(p / 100)
    default: return nil
    }
  }

  public func pair(_ name: String) -> (Double, Double)? {
    guard case .list(let items)? = value(name), items.count == 2, let a = items[0].number, let b = items[1].number else { return nil }
    return (a, b)
  }

  /// An error about one option's value, pointing at it.
  public func badValue(_ name: String, _ message: String) -> CommandError {
    CommandError(.badValue, "option \(name): \(message)", at: optionPositions[name] ?? argumentPositions[name] ?? position)
  }

  /// The typed options as canonical strings (sorted by key when turned into stage parameters).
  public func canonicalOptions(_ names: [String]? = nil) -> [String: String] {
    var out: [String: String] = [:]
    for (k, v) in options where names == nil || names!.contains(k) { out[k] = v.description }
    return out
  }
}

/// A selection size: an absolute count or a fraction of the whole.
public enum CountOrFraction: Sendable, Equatable {
  case count(Int)
  case fraction(Double)

  /// The count out of `total` (at least 1, at most `total`).
  public func resolve(total: Int) -> Int {
    switch self {
    case .count(let c): return max(0, min(c, total))
    case .fraction(let f): return max(min(1, total), min(total, Int((f * Double(total)).rounded())))
    }
  }
}
