import VistaData

/// Suggestions for mistyped names, by Levenshtein edit distance.
enum EditDistance {
  /// The number of single-character insertions, deletions and substitutions turning `a` into `b`
  /// (case-insensitive).
  static func between(_ a: String, _ b: String) -> Int {
    NameSuggestion.editDistance(Array(a.lowercased()), Array(b.lowercased()))
  }

  /// The candidate closest to `word`, if it is close enough to be a plausible typo
  /// (at most a third of the word's length, at least 1, at most 3 edits) or `word` is a prefix of it.
  static func closest(to word: String, among candidates: [String]) -> String? {
    let limit = min(3, max(1, (word.count + 2) / 3))
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let distance = between(word, candidate)
      if distance <= limit, best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    if let best { return best.name }
    if word.count >= 2 { return candidates.first { $0.lowercased().hasPrefix(word.lowercased()) } }
    return nil
  }

  /// "; did you mean 'x'?" or an empty string.
  static func hint(for word: String, among candidates: [String]) -> String {
    closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }
}
