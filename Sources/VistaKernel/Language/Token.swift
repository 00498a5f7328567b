/// A word of a command line: a bare or quoted word, an option `key=value`, or a flag `--name`.
public struct Token: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A bare word or a quoted string (`quoted` true), unquoted in `text`.
    case word(quoted: Bool)
    /// `key=value`: `text` is the value's raw text (quotes kept), `key` the name.
    case option(key: String)
    /// `--name` (or `-n`), without dashes in `text`.
    case flag
  }

  public var kind: Kind
  public var text: String
  /// Index of the token's first character in its logical line.
  public var start: Int
  /// Index one past the token's last character.
  public var end: Int
  /// For options, the index where the value starts.
  public var valueStart: Int

  public var isOption: Bool { if case .option = kind { return true } else { return false } }
  public var key: String? { if case .option(let key) = kind { return key } else { return nil } }
  public var isBareWord: Bool { kind == .word(quoted: false) }
}

/// Splits a logical line into tokens at whitespace outside quotes.
public enum Tokenizer {
  public static func tokens(of line: LogicalLine) throws -> [Token] {
    try tokens(of: line.characters) { line.position(at: $0) }
  }

  public static func tokens(of chars: [Character],
                            position: (Int) -> SourcePosition = { SourcePosition(line: 1, column: $0 + 1) }) throws -> [Token] {
    var tokens: [Token] = []
    var i = 0
    while i < chars.count {
      if chars[i].isWhitespace { i += 1; continue }
      let start = i
      var quoteOpen: Int?
      var quoteChar: Character = "\""
      while i < chars.count {
        let c = chars[i]
        if quoteOpen != nil {
          if c == "\\" { i += 2; continue }
          if c == quoteChar { quoteOpen = nil }
        } else if c == "\"" || c == "'" {
          quoteOpen = i
          quoteChar = c
        } else if c.isWhitespace {
          break
        }
        i += 1
      }
      if let open = quoteOpen {
        throw CommandError(.syntaxError, "unterminated quoted string", at: position(open))
      }
      i = min(i, chars.count)
      tokens.append(classify(Array(chars[start..<i]), start: start, end: i))
    }
    return tokens
  }

  static func classify(_ raw: [Character], start: Int, end: Int) -> Token {
    if raw.first == "\"" || raw.first == "'" {
      return Token(kind: .word(quoted: true), text: unquote(raw), start: start, end: end, valueStart: start)
    }
    if raw.count > 1, raw[0] == "-", raw[1].isLetter || raw[1] == "-" {
      let name = String(raw.drop(while: { $0 == "-" }))
      return Token(kind: .flag, text: name, start: start, end: end, valueStart: end)
    }
    if let eq = raw.firstIndex(of: "="), eq > 0, isIdentifier(raw[..<eq]) {
      return Token(kind: .option(key: String(raw[..<eq])), text: String(raw[(eq + 1)...]),
                   start: start, end: end, valueStart: start + eq + 1)
    }
    return Token(kind: .word(quoted: false), text: String(raw), start: start, end: end, valueStart: start)
  }

  static func isIdentifier(_ chars: ArraySlice<Character>) -> Bool {
    guard let first = chars.first, first.isLetter || first == "_" else { return false }
    return chars.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
  }

  /// Removes the surrounding quotes and resolves `\"`, `\'`, `\\`, `\n`, `\t`.
  public static func unquote(_ raw: [Character]) -> String {
    guard let q = raw.first, q == "\"" || q == "'", raw.count >= 2 else { return String(raw) }
    var out = ""
    var i = 1
    let last = raw.last == q ? raw.count - 1 : raw.count
    while i < last {
      let c = raw[i]
      if c == "\\", i + 1 < last {
        switch raw[i + 1] {
        case "n": out.append("\n")
        case "t": out.append("\t")
        default: out.append(raw[i + 1])
        }
        i += 2
        continue
      }
      out.append(c)
      i += 1
    }
    return out
  }
}
