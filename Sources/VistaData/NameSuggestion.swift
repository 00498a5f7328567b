/// "did you mean ...?" for misspelt names: columns and tensors here, commands and options in the kernel.
/// One rule everywhere, so a typo gets the same suggestion whichever layer catches it.
public enum NameSuggestion {
  /// The candidate closest to `name` (case-insensitive), if it is a plausible typo: at most a third of
  /// the name's length in edits (at least 1, at most 3), or `name` (two letters or more) is a prefix of it.
  public static func closest(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    let limit = min(3, max(1, (target.count + 2) / 3))
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(target, Array(candidate.lowercased()))
      if distance <= limit, best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    if let best { return best.name }
    if target.count >= 2 { return candidates.first { $0.lowercased().hasPrefix(name.lowercased()) } }
    return nil
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
