/// The text layouts a caption file can have.
public enum CaptionFormat: String, Sendable, CaseIterable {
  /// Tab-separated with a header row; no quoting.
  case tsv
  /// Comma-separated with a header row; RFC 4180 quoting (`"a, ""b"""`, newlines inside quotes).
  case csv
  /// One JSON object per line.
  case jsonl
  /// One caption per line, no header.
  case text

  /// The format implied by a file name's extension (`.tsv`, `.csv`, `.jsonl`/`.ndjson`, anything else is text).
  public static func guess(fromPath path: String) -> CaptionFormat {
    let lower = path.lowercased()
    if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
    if lower.hasSuffix(".csv") { return .csv }
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
    return .text
  }
}

/// How to read a caption file. Column names are matched exactly; a wrong one is an error that suggests
/// the closest existing name.
public struct CaptionLoadOptions: Sendable, Equatable {
  /// nil: guess from the file extension.
  public var format: CaptionFormat?
  /// The caption column; nil picks "caption", "text", "description", "definition" or "sentence", in that
  /// order, or the only column.
  public var captionColumn: String?
  /// The id column; nil picks "id" when present, else ids are the 1-based row numbers.
  public var idColumn: String?

  public init(format: CaptionFormat? = nil, captionColumn: String? = nil, idColumn: String? = nil) {
    self.format = format
    self.captionColumn = captionColumn
    self.idColumn = idColumn
  }

  static let defaultCaptionColumns = ["caption", "text", "description", "definition", "sentence"]
}
