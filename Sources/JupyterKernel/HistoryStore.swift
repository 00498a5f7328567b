import Foundation

/// One stored cell input (and its text result) of one kernel session.
public struct HistoryEntry: Sendable, Equatable {
  public var session: Int
  public var line: Int
  public var input: String
  public var output: String?
  public init(session: Int, line: Int, input: String, output: String? = nil) {
    self.session = session; self.line = line; self.input = input; self.output = output
  }
}

/// The execution history behind history_request: tail, range and glob search, kept in a JSON-lines
/// file so it survives restarts. Each kernel process is a new session numbered after the last one.
///
/// The file is read lazily (on first use), so start-up never waits for it. Thread-safe.
public final class HistoryStore: @unchecked Sendable {
  public let path: String?
  private let lock = NSLock()
  private var loaded = false
  private var entries: [HistoryEntry] = []
  private var currentSession = 1
  private var file: UnsafeMutablePointer<FILE>?
  /// Inputs longer than this stay in memory but are not written to disk (keeps the file quick to load).
  public static let maxPersistedInputBytes = 1 << 20

  /// `path` nil keeps history in memory only.
  public init(path: String?) { self.path = path }

  deinit { if let file { fclose(file) } }

  /// The history file: `$VISTA_HISTORY`, else `$XDG_DATA_HOME/vista/history.jsonl`,
  /// else `~/.local/share/vista/history.jsonl`.
  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let explicit = environment["VISTA_HISTORY"], !explicit.isEmpty { return explicit }
    let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
    return dataHome + "/vista/history.jsonl"
  }

  /// The session number of this process.
  public var session: Int {
    lock.lock(); defer { lock.unlock() }
    loadIfNeeded()
    return currentSession
  }

  private func loadIfNeeded() {
    guard !loaded else { return }
    loaded = true
    guard let path else { return }
    var maxSession = 0
    if let data = FileManager.default.contents(atPath: path) {
      data.withUnsafeBytes { raw in
        var lineStart = 0
        for i in 0...raw.count where i == raw.count || raw[i] == 0x0A {
          defer { lineStart = i + 1 }
          guard i > lineStart else { continue }
          // Lines that do not parse (e.g. a torn write) are skipped.
          guard let json = try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: raw[lineStart..<i])),
                let session = json["session"]?.intValue, let line = json["line"]?.intValue,
                let input = json["input"]?.stringValue else { continue }
          entries.append(HistoryEntry(session: session, line: line, input: input, output: json["output"]?.stringValue))
          maxSession = max(maxSession, session)
        }
      }
    }
    currentSession = maxSession + 1
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    file = fopen(path, "a")
    if file == nil { logLine("history: cannot write \(path); keeping history in memory only") }
  }

  /// Records one executed cell of the current session.
  public func append(line: Int, input: String, output: String?) {
    lock.lock(); defer { lock.unlock() }
    loadIfNeeded()
    let entry = HistoryEntry(session: currentSession, line: line, input: input, output: output)
    entries.append(entry)
    guard let file, input.utf8.count <= HistoryStore.maxPersistedInputBytes else { return }
    var fields: [String: JSONValue] = ["session": .int(entry.session), "line": .int(line), "input": .string(input)]
    if let output { fields["output"] = .string(output) }
    var bytes = JSONValue.object(fields).encoded()
    bytes.append(0x0A)
    bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    fflush(file)
  }

  /// The last `n` entries, oldest first.
  public func tail(_ n: Int) -> [HistoryEntry] {
    lock.lock(); defer { lock.unlock() }
    loadIfNeeded()
    return Array(entries.suffix(max(0, n)))
  }

  /// Entries of `session` (<= 0: relative to the current session, 0 being the current one) with
  /// `start <= line < stop` (`stop` nil: to the end).
  public func range(session: Int, start: Int, stop: Int?) -> [HistoryEntry] {
    lock.lock(); defer { lock.unlock() }
    loadIfNeeded()
    let target = session > 0 ? session : currentSession + session
    return entries.filter { $0.session == target && $0.line >= start && (stop == nil || $0.line < stop!) }
  }

  /// Entries whose input matches the glob `pattern` (`*`, `?`, `[…]`), oldest first; the last `n`
  /// when given; with `unique` each input appears once (its latest occurrence).
  public func search(pattern: String, n: Int?, unique: Bool) -> [HistoryEntry] {
    lock.lock(); defer { lock.unlock() }
    loadIfNeeded()
    let glob = Array(pattern.unicodeScalars)
    var matches = entries.filter { GlobPattern.matches(glob, Array($0.input.unicodeScalars)) }
    if unique {
      var seen = Set<String>()
      var kept: [HistoryEntry] = []
      for entry in matches.reversed() where seen.insert(entry.input).inserted { kept.append(entry) }
      matches = kept.reversed()
    }
    if let n, n > 0, matches.count > n { matches = Array(matches.suffix(n)) }
    return matches
  }
}

/// Glob matching as in SQLite's GLOB (which IPython's history search uses): case-sensitive,
/// whole-string, with `*`, `?` and `[…]` / `[^…]` classes.
enum GlobPattern {
  static func matches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
    var p = 0, t = 0
    var starP = -1, starT = 0
    while t < text.count {
      if p < pattern.count {
        let c = pattern[p]
        if c == "*" { starP = p; starT = t; p += 1; continue }
        if c == "?" { p += 1; t += 1; continue }
        if c == "[", let (matched, next) = matchClass(pattern, p, text[t]) {
          if matched { p = next; t += 1; continue }
        } else if c == text[t] {
          p += 1; t += 1; continue
        }
      }
      guard starP >= 0 else { return false }
      p = starP + 1
      starT += 1
      t = starT
    }
    while p < pattern.count && pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }

  /// Matches `[…]` starting at `start`; nil if the class is not closed (then `[` is literal).
  private static func matchClass(_ pattern: [Unicode.Scalar], _ start: Int, _ ch: Unicode.Scalar) -> (Bool, Int)? {
    var i = start + 1
    var negate = false
    if i < pattern.count && pattern[i] == "^" { negate = true; i += 1 }
    var matched = false
    var first = true
    while i < pattern.count && (first || pattern[i] != "]") {
      first = false
      if i + 2 < pattern.count && pattern[i + 1] == "-" && pattern[i + 2] != "]" {
        if pattern[i].value <= ch.value && ch.value <= pattern[i + 2].value { matched = true }
        i += 3
      } else {
        if pattern[i] == ch { matched = true }
        i += 1
      }
    }
    guard i < pattern.count else { return nil }
    return (matched != negate, i + 1)
  }
}
