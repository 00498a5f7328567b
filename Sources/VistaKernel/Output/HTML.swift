import VistaRender

/// Small helpers for the HTML outputs (escaped text, inline styles; no scripts, no network).
enum HTML {
  static func escape(_ s: String) -> String { HTMLEscaping.escape(s) }

  /// `text` escaped, with every case-insensitive occurrence of a word of `terms` wrapped in <mark>.
  static func highlight(_ text: String, terms: [String]) -> String {
    let needles = terms.map { $0.lowercased() }.filter { !$0.isEmpty }
    guard !needles.isEmpty else { return escape(text) }
    let chars = Array(text)
    let lower = chars.map { Character($0.lowercased()) }
    var out = ""
    var i = 0
    outer: while i < chars.count {
      for needle in needles {
        let n = Array(needle)
        if i + n.count <= chars.count, Array(lower[i..<(i + n.count)]) == n {
          out += "<mark>" + escape(String(chars[i..<(i + n.count)])) + "</mark>"
          i += n.count
          continue outer
        }
      }
      out += escape(String(chars[i]))
      i += 1
    }
    return out
  }
}
