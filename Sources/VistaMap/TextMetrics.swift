import Foundation
/// Advance widths of DejaVu Sans (the font every VISTA drawing uses), so label placement can run
/// without a rendering library and the PNG and the explorer agree on label sizes.
///
/// Widths are per 1000 units of font size for ASCII 32...126, measured with cairo from the Debian
/// fonts-dejavu-core 2.37 files; other characters use the width of "n".
public enum TextMetrics {
  static let regular: [UInt16] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838,
  ]
  static let bold: [UInt16] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775,
    637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675,
    716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924,
    645, 652, 582, 712, 365, 712, 838,
  ]
  /// Ascent + descent per 1000 units (DejaVu Sans: 928 + 236).
  public static let lineHeight: Float = 1.164

  /// The width of `text` in pixels at `size` pixels per em.
  public static func width(_ text: String, size: Float, bold: Bool = false) -> Float {
    let table = bold ? Self.bold : regular
    var units = 0
    for scalar in text.unicodeScalars {
      let v = Int(scalar.value)
      units += Int((32...126).contains(v) ? table[v - 32] : table[Int(("n" as Unicode.Scalar).value) - 32])
    }
    return Float(units) * size / 1000
  }

  /// Greedy word wrap into lines of at most `maxCharacters` (a longer single word keeps its own line).
  public static func wrap(_ text: String, maxCharacters: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= maxCharacters { line += " " + word } else {
        lines.append(line); line = String(word)
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// Wraps a label made of terms joined by " · " or ", " at term boundaries (words within a term stay
  /// together unless a term alone is too long).
  public static func wrapTerms(_ text: String, maxCharacters: Int) -> [String] {
    let separator = text.contains(" · ") ? " · " : ", "
    let terms = text.components(separatedBy: separator)
    guard terms.count > 1 else { return wrap(text, maxCharacters: maxCharacters) }
    var lines: [String] = []
    var line = ""
    for term in terms {
      if line.isEmpty { line = term } else if line.count + separator.count + term.count <= maxCharacters { line += separator + term } else {
        lines.append(line + (separator == ", " ? "," : "")); line = term
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.flatMap { $0.count > maxCharacters + 6 ? wrap($0, maxCharacters: maxCharacters) : [$0] }
  }
}
