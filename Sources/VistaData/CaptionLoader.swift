import Foundation
import VistaCore

/// Reads caption files (TSV, CSV, JSON Lines, plain text) into a `CaptionSet`.
///
/// Every problem is a `VistaError` located at `file:line`: a malformed row, a wrong column count, an
/// unknown column (with the closest existing name), an empty file, invalid UTF-8 (with the byte offset).
public enum CaptionLoader {
  /// Loads a caption file; the format comes from `options.format` or the file extension.
  public static func load(_ url: URL, options: CaptionLoadOptions = CaptionLoadOptions()) throws -> CaptionSet {
    let name = url.lastPathComponent
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
      throw VistaError("cannot read caption file: \(error.localizedDescription)", at: url.path)
    }
    let format = options.format ?? CaptionFormat.guess(fromPath: url.path)
    return try parse(data, name: name, format: format, options: options)
  }

  /// Parses caption text already in memory; `name` labels errors and becomes the set's `source`.
  public static func parse(_ data: Data, name: String, format: CaptionFormat, options: CaptionLoadOptions = CaptionLoadOptions()) throws -> CaptionSet {
    let text = try TextDecoding.utf8(data, name: name)
    if text.allSatisfy({ $0.isWhitespace }) { throw VistaError("the caption file is empty", at: "\(name):1") }
    switch format {
    case .text: return plainText(text, name: name)
    case .tsv: return try table(DelimitedText.parseTSV(text), name: name, options: options)
    case .csv: return try table(DelimitedText.parseCSV(text, name: name), name: name, options: options)
    case .jsonl: return try jsonLines(text, name: name, options: options)
    }
  }

  /// One caption per non-blank line; the id is the 1-based line number.
  static func plainText(_ text: String, name: String) -> CaptionSet {
    var ids: [String] = [], texts: [String] = []
    var line = 0
    for raw in DelimitedText.lines(of: text) {
      line += 1
      let caption = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if caption.isEmpty { continue }
      ids.append(String(line))
      texts.append(caption)
    }
    return CaptionSet(ids: ids, texts: texts, source: name)
  }

  /// A header row then data rows of the same width.
  static func table(_ records: [DelimitedRecord], name: String, options: CaptionLoadOptions) throws -> CaptionSet {
    guard let header = records.first else { throw VistaError("the caption file is empty", at: "\(name):1") }
    let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    var seen = Set<String>()
    for c in columns where !seen.insert(c).inserted {
      throw VistaError("column \"\(c)\" appears twice in the header", at: "\(name):\(header.line)")
    }
    let roles = try ColumnRoles(columns: columns, options: options, location: "\(name):\(header.line)")
    if records.count == 1 { throw VistaError("the caption file has a header but no rows", at: "\(name):\(header.line)") }

    var ids: [String] = [], texts: [String] = []
    var metadata = [String: [String]]()
    for c in roles.metadataColumns { metadata[columns[c]] = [] }
    for (rowNumber, record) in records.dropFirst().enumerated() {
      guard record.fields.count == columns.count else {
        throw VistaError(
          "wrong column count: expected \(columns.count) (\(columns.joined(separator: ", "))), found \(record.fields.count)",
          at: "\(name):\(record.line)")
      }
      texts.append(record.fields[roles.caption])
      ids.append(roles.id.map { record.fields[$0] } ?? String(rowNumber + 1))
      for c in roles.metadataColumns { metadata[columns[c]]!.append(record.fields[c]) }
    }
    return CaptionSet(ids: ids, texts: texts, metadata: metadata, source: name)
  }

  /// One JSON object per line; values that are not strings are kept as their JSON text.
  static func jsonLines(_ text: String, name: String, options: CaptionLoadOptions) throws -> CaptionSet {
    var rows: [(line: Int, object: [String: String])] = []
    var keysInOrder: [String] = []
    var knownKeys = Set<String>()
    var line = 0
    for raw in DelimitedText.lines(of: text) {
      line += 1
      let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      let parsed: Any
      do {
        parsed = try JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed])
      } catch {
        throw VistaError("malformed JSON line: \(jsonErrorSummary(error))", at: "\(name):\(line)")
      }
      guard let object = parsed as? [String: Any] else {
        throw VistaError("each line must be a JSON object like {\"caption\": \"...\"}", at: "\(name):\(line)")
      }
      var row = [String: String]()
      for (key, value) in object {
        row[key] = jsonText(value)
        if knownKeys.insert(key).inserted { keysInOrder.append(key) }
      }
      rows.append((line, row))
    }
    guard !rows.isEmpty else { throw VistaError("the caption file is empty", at: "\(name):1") }
    let columns = keysInOrder.sorted()  // JSON objects have no column order; sorted keeps messages stable
    let roles = try ColumnRoles(columns: columns, options: options, location: "\(name):\(rows[0].line)")
    var ids: [String] = [], texts: [String] = []
    var metadata = [String: [String]]()
    for c in roles.metadataColumns { metadata[columns[c]] = [] }
    for (index, row) in rows.enumerated() {
      guard let caption = row.object[columns[roles.caption]] else {
        throw VistaError("missing key \"\(columns[roles.caption])\"", at: "\(name):\(row.line)")
      }
      texts.append(caption)
      if let idColumn = roles.id {
        guard let id = row.object[columns[idColumn]] else {
          throw VistaError("missing key \"\(columns[idColumn])\"", at: "\(name):\(row.line)")
        }
        ids.append(id)
      } else {
        ids.append(String(index + 1))
      }
      for c in roles.metadataColumns { metadata[columns[c]]!.append(row.object[columns[c]] ?? "") }
    }
    return CaptionSet(ids: ids, texts: texts, metadata: metadata, source: name)
  }

  static func jsonText(_ value: Any) -> String {
    switch value {
    case let s as String: return s
    case is NSNull: return ""
    default:
      if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]),
         let s = String(data: data, encoding: .utf8) { return s }
      return "\(value)"
    }
  }

  static func jsonErrorSummary(_ error: Error) -> String {
    let ns = error as NSError
    return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
  }
}

/// Which column is the caption, which the id, and which are metadata.
struct ColumnRoles {
  var caption: Int
  var id: Int?
  var metadataColumns: [Int]

  init(columns: [String], options: CaptionLoadOptions, location: String) throws {
    func index(of name: String, option: String) throws -> Int {
      if let i = columns.firstIndex(of: name) { return i }
      throw VistaError(
        "no column named \"\(name)\" (\(option))" + NameSuggestion.hint(for: name, in: columns, noun: "columns"),
        at: location)
    }
    if let wanted = options.captionColumn {
      caption = try index(of: wanted, option: "caption column")
    } else if let i = CaptionLoadOptions.defaultCaptionColumns.lazy.compactMap({ columns.firstIndex(of: $0) }).first {
      caption = i
    } else if columns.count == 1 {
      caption = 0
    } else {
      throw VistaError(
        "which column holds the captions? none is called \(CaptionLoadOptions.defaultCaptionColumns.joined(separator: "/")); "
          + "name it with the caption column option (columns: \(columns.joined(separator: ", ")))",
        at: location)
    }
    if let wanted = options.idColumn {
      id = try index(of: wanted, option: "id column")
    } else {
      id = columns.firstIndex(of: "id")
    }
    if id == caption { id = nil }
    let caption = self.caption, id = self.id
    metadataColumns = columns.indices.filter { $0 != caption && $0 != id }
  }
}
