import Foundation
import VistaCore
import VistaData
import VistaMap
import VistaRender

/// `preview [color=activation|COLUMN] [grid=on]`: the map as a PNG.
struct PreviewCommand: Command {
  let spec = CommandSpec(
    ["preview"], group: .map, summary: "Draw the map: regions, connections, labels, points coloured by activation or a column",
    options: [
      OptionSpec("color", .text, default: "activation", "`activation` or a metadata column of the dataset (categorical legend)"),
      OptionSpec("grid", .toggle, default: "off", "draw the tile grid"),
      OptionSpec("labels", .toggle, default: "on", "draw cluster labels"),
      OptionSpec("width", .integer(min: 200, max: 8000), default: "1400", "image width in pixels"),
      OptionSpec("dark", .toggle, default: "off", "dark background"),
    ],
    examples: ["preview", "preview color=lexfile grid=on"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    var coloring: PointColoring?
    let color = invocation.string("color") ?? "activation"
    if color != "activation" {
      let captions = try context.session.require(.dataset, as: CaptionSet.self)
      guard let column = captions.metadata[color] else {
        let names = ["activation"] + captions.metadataColumns
        throw invocation.badValue("color", "no column '\(color)'" + EditDistance.hint(for: color, among: names)
                                    + " (columns: \(names.joined(separator: ", ")))")
      }
      let selection = try context.fresh(.selection, as: LatentSelection.self, title: "selection")
      coloring = .category(name: color, values: selection.rows.map { column[$0] })
    }
    let map = try Self.currentMap(context)
    context.display(try Self.figure(map, context: context, grid: invocation.toggle("grid") ?? false, coloring: coloring,
                                    labels: invocation.toggle("labels") ?? true, width: invocation.int("width") ?? 1400,
                                    dark: invocation.toggle("dark") ?? false))
    context.session.recordOutputCommand(invocation.text, requires: .map)
    return .none
  }

  /// The session's map, building it with default tiles when `tiles` was never run.
  static func currentMap(_ context: CommandContext) throws -> CaptionMap {
    if context.session.record(.map) == nil {
      try context.withProgress("map") { progress in
        try context.session.run(.map, parameters: TilesCommand.defaultParameters, command: TilesCommand.defaultCommand,
                               progress: progress)
      }
    }
    return try context.fresh(.map, as: CaptionMap.self, title: "map")
  }

  static func figure(_ map: CaptionMap, context: CommandContext, grid: Bool, coloring: PointColoring?, labels: Bool = true,
                     width: Int = 1400, dark: Bool = false) throws -> Figure {
    var style = MapStyle()
    if let coloring { style.coloring = coloring }
    style.tileGrid = grid
    style.labels = labels
    style.dark = dark
    let latent = context.session.result(.selection, as: LatentSelection.self)?.latent
    style.title = latent.map { "Latent \($0)" } ?? "Map"
    style.subtitle = "\(map.count) captions · \(map.tiles.columns)x\(map.tiles.rows) tiles · \(map.clusters.coarseCount) regions"
    let png = try MapPreview.render(map, width: width, style: style)
    var parameters = ["tiles": "\(map.tiles.columns)x\(map.tiles.rows)", "points": String(map.count), "grid": grid ? "on" : "off"]
    if let latent { parameters["latent"] = String(latent) }
    if case .category(let name, _)? = coloring { parameters["color"] = name } else { parameters["color"] = "activation" }
    return Figure(png: Data(png.data), width: png.width, height: png.height,
                  description: "Map of \(map.count) captions\(latent.map { " for latent \($0)" } ?? "") with \(map.labels.count) labels",
                  parameters: parameters)
  }
}
