import VistaCore

/// One parsed row of a delimited file and the 1-based line it starts on (for error messages).
struct DelimitedRecord {
  var line: Int
  var fields: [String]
}

/// Splits TSV (no quoting) and CSV (RFC 4180 quoting) text into records. Blank lines are skipped.
enum DelimitedText {
  static func parseTSV(_ text: String) -> [DelimitedRecord] {
    var records: [DelimitedRecord] = []
    var lineNumber = 0
    for line in lines(of: text) {
      lineNumber += 1
      if line.allSatisfy({ $0 == " " }) { continue }
      records.append(DelimitedRecord(line: lineNumber, fields: line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)))
    }
    return records
  }

  /// Lines split at "\n" and "\r\n" (Swift treats "\r\n" as one Character, so a plain split on "\n" misses it).
  static func lines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
  }

  /// RFC 4180: fields separated by commas, optionally quoted with `"`; `""` inside quotes is a quote;
  /// quoted fields may span lines. A quote opened and never closed, or text after a closing quote, is an error.
  static func parseCSV(_ text: String, name: String) throws -> [DelimitedRecord] {
    var records: [DelimitedRecord] = []
    var fields: [String] = []
    var field = String.UnicodeScalarView()
    var line = 1
    var recordLine = 1
    var inQuotes = false
    var quoteOpenedAt = 0
    var afterClosingQuote = false
    var fieldStarted = false

    func endField() {
      fields.append(String(field))
      field = String.UnicodeScalarView()
      afterClosingQuote = false
      fieldStarted = false
    }
    func endRecord() {
      endField()
      if !(fields.count == 1 && fields[0].isEmpty) { records.append(DelimitedRecord(line: recordLine, fields: fields)) }
      fields = []
    }

    var scalars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while let c = pending ?? scalars.next() {
      pending = nil
      if inQuotes {
        if c == "\"" {
          if let next = scalars.next() {
            if next == "\"" { field.append("\""); continue }
            pending = next
          }
          inQuotes = false
          afterClosingQuote = true
        } else {
          if c == "\n" { line += 1 }
          field.append(c)
        }
        continue
      }
      switch c {
      case ",":
        endField()
      case "\r":
        continue
      case "\n":
        endRecord()
        line += 1
        recordLine = line
      case "\"" where !fieldStarted:
        inQuotes = true
        quoteOpenedAt = line
        fieldStarted = true
      default:
        if afterClosingQuote {
          throw VistaError("malformed CSV row: text after a closing quote (a quote inside a field must be doubled: \"\")", at: "\(name):\(line)")
        }
        if c == "\"" {
          throw VistaError("malformed CSV row: a quote inside an unquoted field (quote the whole field and double the quote)", at: "\(name):\(line)")
        }
        field.append(c)
        fieldStarted = true
      }
    }
    if inQuotes { throw VistaError("malformed CSV: a quoted field opened here is never closed", at: "\(name):\(quoteOpenedAt)") }
    if !fields.isEmpty || !field.isEmpty || fieldStarted { endRecord() }
    return records
  }
}
