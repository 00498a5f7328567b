/// The logical line around a cursor, for completion and inspection: the characters of the line
/// (continuations joined) and the cursor's index in it.
struct CursorLine {
  var characters: [Character]
  var cursor: Int

  /// `cursorPos` counts Unicode code points, as the protocol says.
  init(code: String, cursorPos: Int) {
    let scalars = Array(code.unicodeScalars)
    let cut = min(max(cursorPos, 0), scalars.count)
    var before = String(String.UnicodeScalarView(scalars[..<cut]))
    var after = String(String.UnicodeScalarView(scalars[cut...]))
    // The current physical line, plus the lines before it that end in a continuation.
    var lines = before.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var current = lines.removeLast()
    while let previous = lines.last, previous.trimmingTrailing().hasSuffix("\\") {
      lines.removeLast()
      current = String(previous.trimmingTrailing().dropLast()) + " " + current
    }
    before = current
    if let newline = after.firstIndex(of: "\n") { after = String(after[..<newline]) }
    characters = Array(before) + Array(after)
    cursor = before.count
  }

  /// The word being typed: from the last unquoted whitespace before the cursor to the cursor.
  var partial: (text: String, start: Int) {
    var start = cursor
    var inQuote = false
    for i in 0..<cursor where characters[i] == "\"" || characters[i] == "'" { inQuote.toggle() }
    while start > 0 {
      let c = characters[start - 1]
      if c.isWhitespace && !inQuote { break }
      start -= 1
    }
    return (String(characters[start..<cursor]), start)
  }

  /// The complete words before the partial one (tokenised leniently: quotes may be open).
  var wordsBefore: [String] {
    let (_, start) = partial
    return String(characters[..<start]).split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// The whole token under (or just before) the cursor, with its range.
  var tokenAtCursor: (text: String, start: Int, end: Int)? {
    guard !characters.isEmpty else { return nil }
    var i = min(cursor, characters.count)
    if i == characters.count || characters[i].isWhitespace {
      if i > 0, !characters[i - 1].isWhitespace { i -= 1 } else if i == characters.count { return nil }
    }
    guard !characters[i].isWhitespace else { return nil }
    var start = i, end = i
    while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
    while end < characters.count, !characters[end].isWhitespace { end += 1 }
    return (String(characters[start..<end]), start, end)
  }
}

extension String {
  func trimmingTrailing() -> String {
    var s = Substring(self)
    while let last = s.last, last.isWhitespace { s.removeLast() }
    return String(s)
  }
}
