/// The canonical parameters of one stage run: option names to values written as canonical strings.
///
/// Canonical means two runs that mean the same thing produce the same text (sorted keys, one spelling
/// per value), so the text can be hashed into a cache fingerprint.
public struct StageParameters: Codable, Hashable, Sendable, CustomStringConvertible {
  public var values: [String: String]

  public init(_ values: [String: String] = [:]) {
    self.values = values
  }

  public subscript(key: String) -> String? {
    get { values[key] }
    set { values[key] = newValue }
  }

  /// Names in sorted order.
  public var sortedKeys: [String] { values.keys.sorted() }

  /// `key=value` pairs in sorted key order, separated by spaces; values with spaces, quotes, `#` or `=`
  /// are quoted so the text can be pasted back as command options.
  public var description: String {
    sortedKeys.map { "\($0)=\(StageParameters.quoteIfNeeded(values[$0] ?? ""))" }.joined(separator: " ")
  }

  /// An unambiguous serialisation for hashing: each key and value length-prefixed, keys sorted.
  public var canonicalText: String {
    sortedKeys.map { key in
      let value = values[key] ?? ""
      return "\(key.utf8.count):\(key)=\(value.utf8.count):\(value)"
    }.joined(separator: ";")
  }

  /// A value as a command option would accept it: bare when it has no special characters, else double-quoted.
  public static func quoteIfNeeded(_ value: String) -> String {
    let special: Set<Character> = [" ", "\t", "\"", "'", "#", "=", "\\"]
    if !value.isEmpty && !value.contains(where: { special.contains($0) }) { return value }
    let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    return "\"\(escaped)\""
  }
}

extension StageParameters: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, String)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}
