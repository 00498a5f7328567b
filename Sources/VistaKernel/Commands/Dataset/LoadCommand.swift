import Foundation
import VistaCore
import VistaData

/// `load demo | load wordnet | load PATH [caption=COL id=COL format=…]`: the captions to map.
struct LoadCommand: Command {
  let spec = CommandSpec(
    ["load"], group: .dataset, summary: "Load the captions: the embedded demo, WordNet, or a TSV/CSV/JSONL/text file",
    arguments: [ArgumentSpec("SOURCE", .path, suggestions: ["demo", "wordnet"],
                             "`demo` (21.8k ImageNet-21k definitions, offline), `wordnet` (about 160k glosses and examples), or a file path")],
    options: [
      OptionSpec("caption", .text, "the caption column (default: caption, text, description, definition or sentence)"),
      OptionSpec("id", .text, "the id column (default: id, else the row number)"),
      OptionSpec("format", .choice(["tsv", "csv", "jsonl", "txt"]), "the file format (default: from the extension)"),
      OptionSpec("limit", .integer(min: 1), "keep only the first N captions (quick experiments)"),
    ],
    details: "Columns other than the caption and id are kept as metadata, to colour the map (`preview color=COLUMN`).",
    examples: ["load demo", "load wordnet limit=20000", "load captions.tsv caption=text id=key"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    guard let source = invocation.string("SOURCE") else { return .none }
    var parameters: [String: String] = [:]
    if source == "demo" || source == "wordnet" {
      parameters["source"] = source
    } else {
      let input = try invocation.existingInput("SOURCE", what: "caption file")
      parameters["source"] = input.path
      parameters["stamp"] = input.stamp
    }
    for key in ["caption", "id", "format", "limit"] { if let v = invocation.value(key) { parameters[key] = v.description } }
    let record = try context.runStage(.dataset, parameters, invocation: invocation, title: "load \(source)")
    let captions = try context.session.require(.dataset, as: CaptionSet.self)
    context.display(Self.preview(captions, record: record, context: context).bundle)
    return .none
  }

  /// The first rows as a table (id, caption, first metadata columns).
  static func preview(_ set: CaptionSet, record: StageRecord, context: CommandContext, rows: Int = 8) -> Table {
    let extra = Array(set.metadataColumns.prefix(3))
    let shown = min(rows, set.count)
    let body = (0..<shown).map { i in [set.ids[i], set.texts[i]] + extra.map { set.metadata[$0]?[i] ?? "" } }
    var footer = "\(set.count) captions"
    if !set.metadataColumns.isEmpty { footer += "; metadata: " + set.metadataColumns.joined(separator: ", ") }
    if !context.session.reproducibleOutputs { footer += "; " + record.provenance }
    return Table(columns: ["id", "caption"] + extra, rows: body, title: "Dataset \(displayName(set.source)) — \(set.count) captions",
                 footer: footer)
  }

  static func displayName(_ source: String) -> String { source.hasPrefix("/") ? (source as NSString).lastPathComponent : source }

  /// A path relative to the kernel's working directory, `~` expanded.
  static func absolutePath(_ path: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
    return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
  }
}
