import JupyterKernel

/// is_complete: a trailing `\` asks for another line, an open quote is invalid, anything else runs.
enum Completeness {
  static func status(of code: String) -> CompletenessStatus {
    let lastLine = code.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    do {
      _ = try LogicalLine.split(code)
      let stripped = try LogicalLine.stripComment(Array(lastLine), line: 1)
      if String(stripped).trimmingTrailing().hasSuffix("\\") { return .incomplete(indent: "") }
      return .complete
    } catch {
      return .invalid
    }
  }
}
