import Foundation
import VistaMap
import VistaRender

/// `render atlas [size=16384x9216] [out=DIR]`: the panorama as a tiled image pyramid.
struct RenderAtlasCommand: Command {
  let spec = CommandSpec(
    ["render", "atlas"], group: .render, summary: "Render the full panorama (every tile's caption as typography) as a zoomable image pyramid",
    options: [
      OptionSpec("width", .integer(min: 256, max: 65_536), default: "16384", "full-resolution width in pixels (height follows the map)"),
      OptionSpec("tile_size", .integer(min: 64, max: 2048), default: "256", "pyramid tile side in pixels"),
      OptionSpec("out", .path, default: "atlas", "the folder to write (z/x_y.png tiles and manifest.json)"),
    ],
    details: "`explore` shows the atlas under the points once it exists; `export explorer` copies it next to the page.",
    examples: ["render atlas", "render atlas width=4096 out=atlas-small"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let map = try PreviewCommand.currentMap(context)
    var options = AtlasOptions()
    options.width = invocation.int("width") ?? 16_384
    options.tileSize = invocation.int("tile_size") ?? 256
    let out = context.outputURL(invocation.string("out") ?? "atlas")
    let renderer = try AtlasRenderer(map: map, options: options)
    let start = Date()
    let manifest = try context.withProgress("render atlas") { progress in try renderer.write(to: out, progress: progress) }
    context.state.atlasDirectory = out
    var rows = [["size", "\(manifest.width) x \(manifest.height) px"], ["levels", String(manifest.levels.count)],
                ["tiles", String(manifest.tileCount)], ["folder", context.shownPath(out)]]
    if !context.session.reproducibleOutputs { rows.append(["time", String(format: "%.1f s", Date().timeIntervalSince(start))]) }
    context.display(Table(columns: ["atlas", "value"], rows: rows, title: "Atlas pyramid"))
    // The overview level as a figure.
    if let level = manifest.levels.first, level.columns == 1, level.rows == 1,
       let png = try? Data(contentsOf: out.appendingPathComponent("\(level.level)/0_0.png")) {
      context.display(Figure(png: png, width: level.width, height: level.height, description: "Atlas overview (level \(level.level))",
                             parameters: ["width": String(manifest.width), "height": String(manifest.height)]))
    }
    context.session.recordOutputCommand(invocation.text, requires: .map)
    return .none
  }
}
