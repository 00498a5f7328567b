import Foundation
import VistaMap

/// `tiles 32x18 min=4`: cut the layout into a grid of tiles and build the map (clusters, regions, labels).
struct TilesCommand: Command {
  let spec = CommandSpec(
    ["tiles"], group: .map, summary: "Cut the layout into a tile grid and build the map: clusters, regions, connections, labels",
    arguments: [ArgumentSpec("GRID", .size, required: false, "columns x rows of the tile grid (default 32x18)")],
    options: [OptionSpec("min", .integer(min: 1), default: "4", "fewest captions a tile needs to be drawn (the paper uses 4)"),
              OptionSpec("seed", .integer(min: 0), "random seed for clustering (default: the session's)")],
    examples: ["tiles 32x18 min=4", "tiles 16x9"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    var parameters = invocation.canonicalOptions()
    parameters["grid"] = invocation.value("GRID")?.description ?? "32x18"
    let record = try context.runStage(.map, parameters, invocation: invocation, title: "tiles")
    let map = try context.session.require(.map, as: CaptionMap.self)
    context.display(Self.summary(map, record: record, context: context))
    if let advice = Self.gridAdvice(map.tiles, captions: map.count) { context.writeError(advice + "\n") }
    context.display(try PreviewCommand.figure(map, context: context, grid: true, coloring: nil))
    return .none
  }

  /// A warning when the grid is so fine that most captions sit in tiles below the minimum (which
  /// are not drawn), with a grid of the same shape that gives about 7 captions a tile, the density
  /// of the paper's 32x18 grid over 4,000 captions. nil when the grid is fine.
  static func gridAdvice(_ tiles: TileGrid, captions: Int) -> String? {
    guard captions > 0 else { return nil }
    let covered = tiles.tiles.filter { !$0.isEmpty }.reduce(0) { $0 + $1.count }
    guard Double(covered) < 0.5 * Double(captions) else { return nil }
    let target = max(1.0, Double(captions) / 7)
    let shape = Double(tiles.columns) / Double(tiles.rows)
    let columns = max(1, Int((target * shape).squareRoot().rounded()))
    let rows = max(1, Int((Double(columns) / shape).rounded()))
    let share = Int((100 * Double(covered) / Double(captions)).rounded())
    if captions < 2 * tiles.minimumCount {
      return "warning: only \(covered) of \(captions) captions are drawn: with so few captions, lower the minimum, "
        + "e.g. `tiles \(tiles.columns)x\(tiles.rows) min=1`"
    }
    return "warning: only \(covered) of \(captions) captions (\(share)%) are in tiles with ≥ \(tiles.minimumCount) captions, "
      + "so most of the map is not drawn: the grid \(tiles.columns)x\(tiles.rows) is too fine for \(captions) captions; "
      + "try `tiles \(columns)x\(rows) min=\(tiles.minimumCount)`"
  }

  static func summary(_ map: CaptionMap, record: StageRecord?, context: CommandContext) -> Table {
    let tiles = map.tiles
    let shown = tiles.tiles.filter { !$0.isEmpty }
    var rows = [
      ["tiles", "\(tiles.columns)x\(tiles.rows) = \(tiles.tiles.count)"],
      ["tiles with ≥ \(tiles.minimumCount) captions", String(shown.count)],
      ["captions", String(map.count)],
      ["clusters (coarse / fine)", "\(map.clusters.coarseCount) / \(map.clusters.fineCount)"],
      ["regions", String(map.regions.count)], ["connections", String(map.connections.count)], ["labels", String(map.labels.count)],
    ]
    if let record, !context.session.reproducibleOutputs { rows.append(["time", record.provenance]) }
    return Table(columns: ["map", "value"], rows: rows, title: "Map", numericColumns: [])
  }
}
