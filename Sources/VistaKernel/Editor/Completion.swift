import Foundation
import JupyterKernel

/// Tab completion: verbs, subjects, option names (`key=`), flags, and values where they are known
/// (choices, stages, on/off, file paths, latent numbers).
struct Completion {
  let registry: CommandRegistry
  /// Suggested latent numbers (e.g. the most frequent latents of the session's codes).
  var latents: () -> [String] = { [] }

  func complete(code: String, cursorPos: Int) -> CompletionResult {
    let line = CursorLine(code: code, cursorPos: cursorPos)
    let (partial, _) = line.partial
    let words = line.wordsBefore
    var matches: [String] = []
    var replaced = partial

    if words.isEmpty {
      matches = registry.verbs.filter { $0.hasPrefix(partial) }
    } else if let eq = partial.firstIndex(of: "="), let spec = resolve(words) {
      let key = String(partial[..<eq])
      let valuePrefix = String(partial[partial.index(after: eq)...])
      if let option = spec.option(key) {
        matches = values(for: option.kind, prefix: valuePrefix)
        replaced = valuePrefix
      }
    } else {
      // A subject word while the words so far are a command path without options yet.
      matches += registry.subjects(after: words).filter { $0.hasPrefix(partial) }
      if let spec = resolve(words) {
        let typedOptions = Set(words.compactMap { w in w.firstIndex(of: "=").map { String(w[..<$0]) } })
        let positionalCount = words.count - spec.words.count - words.filter { $0.contains("=") || $0.hasPrefix("--") }.count
        if positionalCount < spec.arguments.count {
          let argument = spec.arguments[positionalCount]
          if spec.verb == "help" || spec.verb == "page" {
            let path = Array(words.dropFirst(spec.words.count))
            matches += (path.isEmpty ? registry.verbs : registry.subjects(after: path)).filter { $0.hasPrefix(partial) }
          } else {
            matches += argument.suggestions.filter { $0.hasPrefix(partial) }
            matches += values(for: argument.kind, prefix: partial)
          }
        }
        if partial.hasPrefix("-") {
          matches += spec.flags.map { "--" + $0.name }.filter { $0.hasPrefix(partial) }
        } else {
          matches += spec.options.map(\.name).filter { $0.hasPrefix(partial) && !typedOptions.contains($0) }.map { $0 + "=" }
        }
      }
    }
    var seen = Set<String>()
    matches = matches.filter { seen.insert($0).inserted }
    let replacedScalars = replaced.unicodeScalars.count
    return CompletionResult(matches: matches, cursorStart: max(0, cursorPos - replacedScalars), cursorEnd: cursorPos,
                            metadata: [:])
  }

  /// The command named by the leading bare words.
  func resolve(_ words: [String]) -> CommandSpec? {
    var bare: [String] = []
    for w in words { guard !w.contains("="), !w.hasPrefix("-"), !w.hasPrefix("\"") else { break }; bare.append(w) }
    return registry.longestMatch(bare)?.command.spec
  }

  func values(for kind: OptionKind, prefix: String) -> [String] {
    switch kind {
    case .choice(let words): return words.filter { $0.hasPrefix(prefix) }
    case .stage: return Stage.allCases.map(\.rawValue).filter { $0.hasPrefix(prefix) }
    case .toggle: return ["on", "off"].filter { $0.hasPrefix(prefix) }
    case .path: return Self.paths(prefix)
    case .latent: return latents().filter { $0.hasPrefix(prefix) }
    default: return []
    }
  }

  /// Entries of the directory named by `prefix` that start with its last component; directories end in "/".
  static func paths(_ prefix: String) -> [String] {
    let unquoted = prefix.hasPrefix("\"") ? String(prefix.dropFirst()) : prefix
    let expanded = (unquoted as NSString).expandingTildeInPath
    let directory: String, stem: String, shownDirectory: String
    if unquoted.hasSuffix("/") {
      directory = expanded; stem = ""; shownDirectory = unquoted
    } else if let slash = unquoted.lastIndex(of: "/") {
      directory = (expanded as NSString).deletingLastPathComponent
      stem = String(unquoted[unquoted.index(after: slash)...])
      shownDirectory = String(unquoted[...slash])
    } else {
      directory = "."; stem = unquoted; shownDirectory = ""
    }
    let fm = FileManager.default
    guard let entries = try? fm.contentsOfDirectory(atPath: directory.isEmpty ? "/" : directory) else { return [] }
    return entries.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
      var isDirectory: ObjCBool = false
      _ = fm.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
      return shownDirectory + name + (isDirectory.boolValue ? "/" : "")
    }
  }
}
