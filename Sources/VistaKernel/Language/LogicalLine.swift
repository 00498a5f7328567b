/// One command's text after comments are removed and `\` continuations are joined, with the cell
/// position of every character so errors can point at the physical line and column.
public struct LogicalLine: Sendable, Equatable {
  public var characters: [Character]
  /// `positions[i]` is where `characters[i]` sits in the cell; one extra entry marks the end of the line.
  public var positions: [SourcePosition]

  public var text: String { String(characters) }
  public var start: SourcePosition { positions.first ?? SourcePosition(line: 1, column: 1) }

  public func position(at index: Int) -> SourcePosition {
    positions[min(max(index, 0), positions.count - 1)]
  }

  /// Splits a cell into logical lines: `#` outside quotes starts a comment, a line whose text (before any
  /// comment) ends in `\` continues on the next one, blank lines are dropped.
  /// - Throws: `CommandError.syntaxError` for a quote left open at the end of a physical line.
  public static func split(_ cell: String) throws -> [LogicalLine] {
    var lines: [LogicalLine] = []
    var pending = LogicalLine(characters: [], positions: [])
    let physical = cell.split(separator: "\n", omittingEmptySubsequences: false)
    for (lineIndex, raw) in physical.enumerated() {
      let lineNumber = lineIndex + 1
      var chars = Array(raw)
      if chars.last == "\r" { chars.removeLast() }
      let code = try stripComment(chars, line: lineNumber)
      var end = code.count
      while end > 0, code[end - 1].isWhitespace { end -= 1 }
      let continues = end > 0 && code[end - 1] == "\\"
      let keep = continues ? end - 1 : end
      if !pending.characters.isEmpty && keep > 0 {
        // Joining lines: one space stands for the line break.
        pending.characters.append(" ")
        pending.positions.append(SourcePosition(line: lineNumber, column: 1))
      }
      for i in 0..<keep {
        pending.characters.append(code[i])
        pending.positions.append(SourcePosition(line: lineNumber, column: i + 1))
      }
      if !continues {
        pending.positions.append(SourcePosition(line: lineNumber, column: keep + 1))
        if pending.characters.contains(where: { !$0.isWhitespace }) { lines.append(pending) }
        pending = LogicalLine(characters: [], positions: [])
      }
    }
    if pending.characters.contains(where: { !$0.isWhitespace }) {
      let last = pending.positions.last ?? SourcePosition(line: physical.count, column: 1)
      pending.positions.append(SourcePosition(line: last.line, column: last.column + 1))
      lines.append(pending)
    }
    return lines
  }

  /// The characters before a `#` that is not inside quotes.
  static func stripComment(_ chars: [Character], line: Int) throws -> [Character] {
    var quote: Character?
    var quoteStart = 0
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if let open = quote {
        if c == "\\" { i += 2; continue }
        if c == open { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
        quoteStart = i
      } else if c == "#" {
        return Array(chars[..<i])
      }
      i += 1
    }
    if quote != nil {
      throw CommandError(.syntaxError, "unterminated quoted string", at: SourcePosition(line: line, column: quoteStart + 1))
    }
    return chars
  }
}
