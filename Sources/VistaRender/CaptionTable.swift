import Foundation
import VistaMap

/// The `captions ...` output: an HTML table of captions with activation, tile and region, the matched
/// words highlighted with `<mark>`.
public enum CaptionTable {
  /// Renders rows for `indices` (in the given order), at most `limit` of them.
  ///
  /// - Parameters:
  ///   - ids: stable caption ids to show (e.g. rows of the caption pool); point indices when nil.
  ///   - highlight: words to mark (case-insensitive).
  public static func html(map: CaptionMap, indices: [Int], title: String, highlight: [String] = [], ids: [Int]? = nil, limit: Int = 200) -> String {
    var rows = ""
    for (rank, i) in indices.prefix(limit).enumerated() {
      let tile = map.tiles.tileIndex(of: map.layout.positions[i])
      let column = tile % map.tiles.columns, row = tile / map.tiles.columns
      rows += "<tr><td>\(rank + 1)</td><td>\(ids?[i] ?? i)</td><td style=\"text-align:right\">\(String(format: "%.3f", Double(map.activations[i])))</td>"
      rows += "<td>\(mark(map.captions[i], highlight))</td><td>\(column),\(row)</td><td>\(escape(map.regionLabel(of: i)))</td></tr>\n"
    }
    let more = indices.count > limit ? "<p style=\"color:#5d6169\">\(indices.count - limit) more not shown.</p>" : ""
    return """
      <div class="vista-captions"><p><b>\(escape(title))</b> · \(indices.count) captions</p>
      <table><thead><tr><th>#</th><th>id</th><th>activation</th><th>caption</th><th>tile</th><th>region</th></tr></thead>
      <tbody>
      \(rows)</tbody></table>\(more)</div>
      """
  }

  /// Escapes `text` and wraps every case-insensitive occurrence of each word in `<mark>`.
  public static func mark(_ text: String, _ words: [String]) -> String {
    let lower = text.lowercased()
    var marked = [Bool](repeating: false, count: lower.utf16.count)
    let units = Array(lower.utf16)
    for word in words where !word.isEmpty {
      let w = Array(word.lowercased().utf16)
      guard w.count <= units.count else { continue }
      var i = 0
      while i + w.count <= units.count {
        if Array(units[i..<(i + w.count)]) == w { for k in i..<(i + w.count) { marked[k] = true }; i += w.count } else { i += 1 }
      }
    }
    // Walk the original text by UTF-16 offsets (lower-casing keeps ASCII offsets; others are rare here).
    let original = Array(text.utf16)
    guard original.count == units.count else { return escape(text) }
    var out = ""
    var k = 0
    while k < original.count {
      let start = k
      let state = marked[k]
      while k < original.count && marked[k] == state { k += 1 }
      let piece = escape(String(decoding: original[start..<k], as: UTF16.self))
      out += state ? "<mark>\(piece)</mark>" : piece
    }
    return out
  }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
  }
}
