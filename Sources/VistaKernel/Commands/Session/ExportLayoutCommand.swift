import Foundation
import VistaData
import VistaMap

/// `export layout PATH [format=csv|jsonl|columns]`: ids, captions, x, y, tile, cluster, activation for pandas or R.
struct ExportLayoutCommand: Command {
  let spec = CommandSpec(
    ["export", "layout"], group: .session, summary: "Write the layout (id, caption, x, y, tile, cluster, activation) as CSV, JSON Lines, Parquet or .npy columns",
    arguments: [ArgumentSpec("PATH", .path, "the file (.csv, .jsonl) or folder (columns)")],
    options: [OptionSpec("format", .choice(LayoutExportFormat.allCases.map(\.rawValue)),
                         "the format (default: from the extension: .csv, .jsonl, .parquet; a folder gets .npy columns)")],
    details: "x and y are map units (0..1 from the left and the top) when the map exists, else raw layout coordinates.",
    examples: ["export layout layout.csv", "export layout layout.parquet", "export layout out/columns format=columns"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let url = context.outputURL(invocation.string("PATH") ?? "")
    let format = invocation.string("format").flatMap(LayoutExportFormat.init(rawValue:))
    // A typo'd extension (`layout.cvs`) would otherwise silently become a folder of .npy columns.
    let suffix = url.pathExtension.lowercased()
    if format == nil, !suffix.isEmpty, LayoutExportFormat.inferred(from: url) == .columns {
      throw CommandError(.badValue, "unknown file type '.\(suffix)': use .csv, .jsonl, .parquet, a folder name (.npy columns) or format=…",
                         at: invocation.argumentPositions["PATH"])
    }
    let table = try Self.layoutTable(context)
    let written = try LayoutExport.write(table, to: url, format: format)
    context.write("wrote \(table.count) rows to \(written.map(context.shownPath).joined(separator: ", "))\n")
    context.session.recordOutputCommand(invocation.text, requires: .layout)
    return .none
  }

  static func layoutTable(_ context: CommandContext) throws -> LayoutTable {
    let captions = try context.session.require(.dataset, as: CaptionSet.self)
    let selection = try context.fresh(.selection, as: LatentSelection.self, title: "selection")
    let layout = try context.fresh(.layout, as: LayoutResult.self, title: "layout")
    let ids = selection.rows.map { captions.ids[$0] }, texts = selection.rows.map { captions.texts[$0] }
    // A configured map is brought up to date (or fails, or is interrupted) like any stage: it is
    // not quietly dropped for raw layout coordinates without tile and cluster columns.
    if context.session.record(.map) != nil {
      let map = try context.fresh(.map, as: CaptionMap.self, title: "map")
      let tiles = map.layout.positions.map { map.tiles.tileIndex(of: $0) }
      return LayoutTable(ids: ids, captions: texts, x: map.layout.positions.map(\.x), y: map.layout.positions.map(\.y),
                         tile: tiles, cluster: map.clusters.coarse, activation: selection.activations)
    }
    let points = layout.points
    return LayoutTable(ids: ids, captions: texts, x: points.map(\.x), y: points.map(\.y), activation: selection.activations)
  }
}
