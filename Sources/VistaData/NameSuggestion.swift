/// "did you mean ...?" for misspelt column and tensor names.
public enum NameSuggestion {
  /// The candidate closest to `name` by edit distance (case-insensitive), if reasonably close.
  static func closest(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
      let d = editDistance(target, Array(candidate.lowercased()))
      if best == nil || d < best!.1 { best = (candidate, d) }
    }
    guard let (candidate, distance) = best, distance <= max(2, target.count / 2) else { return nil }
    return candidate
  }

  /// A sentence fragment listing what exists and the closest match: "; did you mean "text"? (columns: id, text)".
  static func hint(for name: String, in candidates: [String], noun: String) -> String {
    var out = ""
    if let c = closest(to: name, in: candidates) { out += "; did you mean \"\(c)\"?" }
    let shown = candidates.prefix(20).joined(separator: ", ")
    out += " (\(noun): \(shown)\(candidates.count > 20 ? ", ..." : ""))"
    return out
  }

  /// The Levenshtein distance: the number of single-character insertions, deletions and substitutions
  /// turning `a` into `b` (characters compared as given; lower-case both for a case-insensitive distance).
  public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
