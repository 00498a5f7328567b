import Foundation

/// One row of `status`: a stage as the user sees it.
public struct StatusRow: Sendable, Equatable, Codable {
  public var stage: String
  public var parameters: String
  public var state: String
  /// Seconds the last compute or cache load took; nil when never run or when outputs must be reproducible.
  public var seconds: Double?
  /// "computed", "memory", "disk" or "" when never run.
  public var cache: String
}

extension Session {
  /// One row per stage of the chain, configured or not, in chain order.
  public func statusRows(reproducible: Bool? = nil) -> [StatusRow] {
    let reproducible = reproducible ?? reproducibleOutputs
    return Stage.allCases.map { stage in
      guard let record = record(stage) else {
        return StatusRow(stage: stage.rawValue, parameters: "", state: StageState.empty.rawValue, seconds: nil, cache: "")
      }
      let state = record.state == .fresh && !isFresh(stage) ? StageState.stale : record.state
      let cache: String
      switch record.cacheHit {
      case .none: cache = "computed"
      case .memory: cache = "memory"
      case .disk: cache = "disk"
      }
      return StatusRow(
        stage: stage.rawValue, parameters: record.parameters.description, state: state.rawValue,
        seconds: reproducible ? nil : record.elapsed, cache: reproducible ? "" : cache)
    }
  }

  /// The chain as a table (stage, parameters, state, time, cache hit) in HTML and plain text.
  public func statusTable(reproducible: Bool? = nil) -> (html: String, text: String) {
    let rows = statusRows(reproducible: reproducible)
    let headers = ["stage", "parameters", "state", "time", "cache"]
    let cells = rows.map { row in
      [row.stage, row.parameters, row.state, row.seconds.map(Session.formatSeconds) ?? "", row.cache]
    }
    return (html: Session.htmlTable(headers: headers, rows: cells, states: rows.map(\.state)),
            text: Session.textTable(headers: headers, rows: cells))
  }

  /// `0.042 s`, `3.1 s`, `2 min 05 s`.
  public static func formatSeconds(_ seconds: Double) -> String {
    if seconds < 1 { return String(format: "%.3f s", seconds) }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let whole = Int(seconds.rounded())
    return String(format: "%d min %02d s", whole / 60, whole % 60)
  }

  static func textTable(headers: [String], rows: [[String]]) -> String {
    var widths = headers.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
        .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    var lines = [line(headers), line(widths.map { String(repeating: "-", count: $0) })]
    lines += rows.map(line)
    return lines.joined(separator: "\n")
  }

  static func htmlTable(headers: [String], rows: [[String]], states: [String]) -> String {
    var html = "<table class=\"vista-status\">\n<thead><tr>"
    html += headers.map { "<th>\(HTML.escape($0))</th>" }.joined()
    html += "</tr></thead>\n<tbody>\n"
    for (row, state) in zip(rows, states) {
      html += "<tr class=\"vista-\(HTML.escape(state))\">"
      html += row.map { "<td>\(HTML.escape($0))</td>" }.joined()
      html += "</tr>\n"
    }
    html += "</tbody>\n</table>"
    return html
  }
}
