import Foundation
import VistaCore

/// The BERT uncased tokenizer as sentence-transformers runs it (HF `BertNormalizer` + `BertPreTokenizer`
/// + `WordPiece`): clean control characters, space out CJK ideographs, lowercase, strip accents (NFD minus
/// non-spacing marks), split on whitespace and punctuation, then greedy longest-match WordPiece with `##`.
public struct WordPieceTokenizer: Sendable {
  public let vocabulary: [String: Int32]
  public let tokens: [String]
  public let unknownId: Int32
  public let classifierId: Int32
  public let separatorId: Int32
  public let paddingId: Int32
  /// Sequences (including [CLS] and [SEP]) are cut to this many tokens.
  public let maxLength: Int
  /// Words longer than this many characters become [UNK] (HF default 100).
  public let maxCharactersPerWord = 100

  /// Reads `vocab.txt` (one token per line; the line number is the id).
  public init(vocabularyURL: URL, maxLength: Int = 256) throws {
    guard let data = FileManager.default.contents(atPath: vocabularyURL.path) else {
      throw VistaError("cannot read the vocabulary", at: vocabularyURL.path)
    }
    let text = try String(data: data, encoding: .utf8).orThrow(VistaError("vocabulary is not UTF-8", at: vocabularyURL.path))
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    try self.init(tokens: lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }, maxLength: maxLength, origin: vocabularyURL.lastPathComponent)
  }

  public init(tokens: [String], maxLength: Int = 256, origin: String = "vocabulary") throws {
    var vocabulary = [String: Int32](minimumCapacity: tokens.count)
    for (i, t) in tokens.enumerated() where vocabulary[t] == nil { vocabulary[t] = Int32(i) }
    func id(_ t: String) throws -> Int32 {
      guard let v = vocabulary[t] else { throw VistaError("the vocabulary lacks the special token \(t)", at: origin) }
      return v
    }
    self.tokens = tokens
    self.vocabulary = vocabulary
    unknownId = try id("[UNK]")
    classifierId = try id("[CLS]")
    separatorId = try id("[SEP]")
    paddingId = try id("[PAD]")
    precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP]")
    self.maxLength = maxLength
  }

  /// Token ids of one sentence: [CLS] wordpieces... [SEP], truncated to `maxLength`.
  public func encode(_ text: String) -> [Int32] {
    var ids: [Int32] = [classifierId]
    let budget = maxLength - 2
    outer: for word in basicTokens(text) {
      for piece in wordPieces(word) {
        if ids.count - 1 >= budget { break outer }
        ids.append(piece)
      }
    }
    ids.append(separatorId)
    return ids
  }

  /// The strings of `ids` (for display and debugging).
  public func decode(_ ids: [Int32]) -> [String] { ids.map { Int($0) < tokens.count ? tokens[Int($0)] : "[?]" } }

  /// Normalised, pre-tokenised words (lists of Unicode scalars).
  func basicTokens(_ text: String) -> [[Unicode.Scalar]] {
    // 1. Clean: drop NUL, U+FFFD and control/format characters; whitespace becomes a space; CJK gets spaces around it.
    var cleaned = String.UnicodeScalarView()
    for s in text.unicodeScalars {
      let v = s.value
      if v == 0 || v == 0xFFFD { continue }
      if Self.isControl(s) { continue }
      if Self.isWhitespace(s) { cleaned.append(" "); continue }
      if Self.isCJK(v) { cleaned.append(" "); cleaned.append(s); cleaned.append(" "); continue }
      cleaned.append(s)
    }
    // 2. Strip accents (NFD then drop non-spacing marks) and lowercase.
    let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
    var folded = String.UnicodeScalarView()
    for s in decomposed.unicodeScalars where s.properties.generalCategory != .nonspacingMark {
      folded.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
    }
    // 3. Split on whitespace, then isolate each punctuation character.
    var words: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    for s in folded {
      if Self.isWhitespace(s) {
        if !current.isEmpty { words.append(current); current = [] }
      } else if Self.isPunctuation(s) {
        if !current.isEmpty { words.append(current); current = [] }
        words.append([s])
      } else {
        current.append(s)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// Greedy longest-match-first WordPiece; a word with any unmatchable part is one [UNK].
  func wordPieces(_ word: [Unicode.Scalar]) -> [Int32] {
    if word.count > maxCharactersPerWord { return [unknownId] }
    var pieces: [Int32] = []
    var start = 0
    while start < word.count {
      var end = word.count
      var found: Int32? = nil
      while start < end {
        var candidate = start > 0 ? "##" : ""
        candidate.unicodeScalars.append(contentsOf: word[start..<end])
        if let id = vocabulary[candidate] { found = id; break }
        end -= 1
      }
      guard let id = found else { return [unknownId] }
      pieces.append(id)
      start = end
    }
    return pieces
  }

  static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
    s == " " || s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
  }

  static func isControl(_ s: Unicode.Scalar) -> Bool {
    if s == "\t" || s == "\n" || s == "\r" { return false }
    switch s.properties.generalCategory {
    case .control, .format, .unassigned, .privateUse, .surrogate: return true
    default: return false
    }
  }

  static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
    switch s.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default: return false
    }
  }

  static func isCJK(_ v: UInt32) -> Bool {
    (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
      || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
  }
}

extension Optional {
  func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
    guard let value = self else { throw error() }
    return value
  }
}
