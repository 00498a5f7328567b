import Foundation
import VistaCore

/// Reads WordNet 3.0 `data.noun/verb/adj/adv` files: `offset lexfile pos w_cnt(hex) word lex_id ... | gloss; "example"`.
struct WordNetReader {
  let root: String

  static let parts: [(file: String, pos: String)] = [("data.noun", "noun"), ("data.verb", "verb"), ("data.adj", "adj"), ("data.adv", "adv")]

  /// WordNet's lexicographer file names by number (lexnames(5WN)).
  static let lexicographerFiles = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact", "noun.attribute",
    "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
    "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession",
    "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition", "verb.consumption",
    "verb.contact", "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession",
    "verb.social", "verb.stative", "verb.weather", "adj.ppl",
  ]

  /// Examples shorter than this are mostly fragments ("a full glass").
  static let minimumExampleLength = 15

  func read(includeExamples: Bool, progress: VistaCore.Progress) throws -> CaptionSet {
    let missing = Self.parts.map { "\(root)/\($0.file)" }.filter { !FileManager.default.fileExists(atPath: $0) }
    if !missing.isEmpty {
      throw VistaError(
        "WordNet data files not found (\(missing.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))); "
          + "install them with `apt-get install wordnet-base` or name the folder holding data.noun",
        at: root)
    }
    var ids: [String] = [], texts: [String] = [], lexfiles: [String] = [], pos: [String] = [], kinds: [String] = [], lemmas: [String] = []
    for (partIndex, part) in Self.parts.enumerated() {
      try progress.checkCancelled()
      let path = "\(root)/\(part.file)"
      guard let data = FileManager.default.contents(atPath: path) else { throw VistaError("cannot read", at: path) }
      // WordNet files are ASCII with a few Latin-1 bytes in old releases; decode leniently.
      let text = String(decoding: data, as: UTF8.self)
      var lineNumber = 0
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        lineNumber += 1
        if line.isEmpty || line.hasPrefix("  ") { continue }  // licence header lines start with two spaces
        guard let bar = line.firstIndex(of: "|") else { continue }
        let head = line[..<bar].split(separator: " ")
        guard head.count >= 5, let lexNumber = Int(head[1]), lexNumber < Self.lexicographerFiles.count else {
          throw VistaError("malformed WordNet line", at: "\(path):\(lineNumber)")
        }
        let offset = String(head[0])
        let lexfile = Self.lexicographerFiles[lexNumber]
        let lemma = head[4].replacingOccurrences(of: "_", with: " ")
        let (gloss, examples) = Self.splitGloss(line[line.index(after: bar)...])
        if !gloss.isEmpty {
          ids.append("\(part.pos).\(offset)"); texts.append(gloss); lexfiles.append(lexfile)
          pos.append(part.pos); kinds.append("gloss"); lemmas.append(lemma)
        }
        if includeExamples {
          for (k, example) in examples.enumerated() where example.count >= Self.minimumExampleLength {
            ids.append("\(part.pos).\(offset).ex\(k + 1)"); texts.append(example); lexfiles.append(lexfile)
            pos.append(part.pos); kinds.append("example"); lemmas.append(lemma)
          }
        }
      }
      progress.update("reading WordNet", Double(partIndex + 1) / Double(Self.parts.count))
    }
    return CaptionSet(
      ids: ids, texts: texts, metadata: ["lexfile": lexfiles, "pos": pos, "kind": kinds, "lemma": lemmas], source: "wordnet")
  }

  /// "gloss text; \"example one\"; \"example two\"" -> ("gloss text", ["example one", "example two"]).
  static func splitGloss(_ raw: Substring) -> (String, [String]) {
    var definitions: [String] = []
    var examples: [String] = []
    for piece in raw.split(separator: ";") {
      let trimmed = piece.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      if trimmed.hasPrefix("\"") {
        var body = trimmed.dropFirst()
        if let close = body.firstIndex(of: "\"") { body = body[..<close] }
        examples.append(String(body))
      } else if examples.isEmpty {
        // Some glosses introduce their example with a colon: `the act of ...: "he sent Smith in for Jones"`.
        if let colon = trimmed.range(of: ": \"") {
          definitions.append(String(trimmed[..<colon.lowerBound]))
          var body = trimmed[colon.upperBound...]
          if let close = body.firstIndex(of: "\"") { body = body[..<close] }
          examples.append(String(body))
        } else {
          definitions.append(trimmed)
        }
      }
    }
    return (definitions.joined(separator: "; "), examples)
  }
}
