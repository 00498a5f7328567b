import JupyterKernel

/// A table shown as HTML with a text/plain twin; long tables are paginated.
public struct Table: Sendable {
  public var columns: [String]
  /// Cell texts, row by row (plain text; escaped for HTML).
  public var rows: [[String]]
  /// Optional HTML for cells (already escaped / highlighted), same shape as `rows`.
  public var htmlRows: [[String]]?
  public var title: String?
  /// Columns whose cells are numbers (right-aligned).
  public var numericColumns: Set<Int>
  public var footer: String?

  public init(columns: [String], rows: [[String]], htmlRows: [[String]]? = nil, title: String? = nil,
              numericColumns: Set<Int> = [], footer: String? = nil) {
    self.columns = columns; self.rows = rows; self.htmlRows = htmlRows; self.title = title
    self.numericColumns = numericColumns; self.footer = footer
  }

  /// Rows `page*size ..< (page+1)*size` of the table, with a footer saying which and how to see more.
  public func page(_ page: Int, size: Int, moreCommand: (Int) -> String) -> Table {
    guard rows.count > size else { return self }
    let pages = (rows.count + size - 1) / size
    let p = min(max(page, 1), pages)
    let range = ((p - 1) * size)..<min(rows.count, p * size)
    var copy = self
    copy.rows = Array(rows[range])
    copy.htmlRows = htmlRows.map { Array($0[range]) }
    var note = "rows \(range.lowerBound + 1)–\(range.upperBound) of \(rows.count) (page \(p) of \(pages))"
    if p < pages { note += "; next: \(moreCommand(p + 1))" }
    copy.footer = [footer, note].compactMap { $0 }.joined(separator: " · ")
    return copy
  }

  public var text: String {
    var widths = columns.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], min(cell.count, 80)) } }
    func format(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in
        let c = cell.count > 80 ? String(cell.prefix(79)) + "…" : cell
        let pad = String(repeating: " ", count: max(0, widths[min(i, widths.count - 1)] - c.count))
        return numericColumns.contains(i) ? pad + c : c + pad
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    var lines: [String] = []
    if let title { lines.append(title) }
    lines.append(format(columns))
    lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    lines += rows.map(format)
    if let footer { lines.append(footer) }
    return lines.joined(separator: "\n")
  }

  public var html: String {
    var h = "<div class=\"vista-table\">"
    if let title { h += "<div style=\"font-weight:bold;margin:4px 0\">\(HTML.escape(title))</div>" }
    h += "<table style=\"border-collapse:collapse;font-size:13px\"><thead><tr>"
    for (i, c) in columns.enumerated() {
      let align = numericColumns.contains(i) ? "right" : "left"
      h += "<th style=\"text-align:\(align);border-bottom:1px solid #999;padding:2px 8px\">\(HTML.escape(c))</th>"
    }
    h += "</tr></thead><tbody>"
    for (r, row) in rows.enumerated() {
      h += "<tr>"
      for (i, cell) in row.enumerated() {
        let align = numericColumns.contains(i) ? "right" : "left"
        let content = htmlRows?[r][i] ?? HTML.escape(cell)
        h += "<td style=\"text-align:\(align);padding:2px 8px;vertical-align:top\">\(content)</td>"
      }
      h += "</tr>"
    }
    h += "</tbody></table>"
    if let footer { h += "<div style=\"color:#666;font-size:12px;margin-top:4px\">\(HTML.escape(footer))</div>" }
    return h + "</div>"
  }

  public var bundle: MimeBundle {
    MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html)])
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
