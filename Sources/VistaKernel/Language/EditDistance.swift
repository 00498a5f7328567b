import VistaData

/// The kernel's "did you mean" fragment, by `NameSuggestion`'s rule.
enum EditDistance {
  /// "; did you mean 'x'?" or an empty string.
  static func hint(for word: String, among candidates: [String]) -> String {
    NameSuggestion.closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }
}
