/// Escaping of text placed in HTML, shared by the explorer page and the kernel's HTML outputs.
public enum HTMLEscaping {
  /// `s` with `&`, `<`, `>`, `"` and `'` replaced by entities: safe in element content and in
  /// attribute values quoted either way.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}
