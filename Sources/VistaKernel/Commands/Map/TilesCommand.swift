import Foundation
import VistaMap

/// `tiles 32x18 min=4`: cut the layout into a grid of tiles and build the map (clusters, regions, labels).
struct TilesCommand: Command {
  /// The paper's panorama grid and minimum, also what `preview` builds when `tiles` was never run.
  static let defaultGrid = "32x18", defaultMinimum = "4"
  /// The map stage's parameters for a bare `tiles`, and that command as the recipe writes it.
  static let defaultParameters = StageParameters(["grid": defaultGrid, "min": defaultMinimum])
  static let defaultCommand = "tiles \(defaultGrid) min=\(defaultMinimum)"

  let spec = CommandSpec(
    ["tiles"], group: .map, summary: "Cut the layout into a tile grid and build the map: clusters, regions, connections, labels",
    arguments: [ArgumentSpec("GRID", .size, required: false, "columns x rows of the tile grid (default \(TilesCommand.defaultGrid))")],
    options: [OptionSpec("min", .integer(min: 1), default: TilesCommand.defaultMinimum, "fewest captions a tile needs to be drawn (the paper uses 4)"),
              OptionSpec("seed", .integer(min: 0), "random seed for clustering (default: the session's)")],
    examples: ["tiles 32x18 min=4", "tiles 16x9"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    var parameters = invocation.canonicalOptions()
    parameters["grid"] = invocation.value("GRID")?.description ?? Self.defaultGrid
    let record = try context.runStage(.map, parameters, invocation: invocation, title: "tiles")
    let map = try context.session.require(.map, as: CaptionMap.self)
    context.display(Self.summary(map, record: record, context: context))
    if let advice = Self.gridAdvice(map.tiles, captions: map.count) { context.writeError(advice + "\n") }
    context.display(try PreviewCommand.figure(map, context: context, grid: true, coloring: nil))
    return .none
  }

  /// A warning when the grid is so fine that most captions sit in tiles below the minimum (which
  /// are not drawn), with a grid of the same shape whose tiles hold about 7 captions (the density of
  /// the paper's 32x18 grid over 4,000 captions) or 1.75 × min when that is more, so a typical tile
  /// clears the minimum; or, when even one tile could not, the advice to lower the minimum.
  /// nil when the grid is fine.
  static func gridAdvice(_ tiles: TileGrid, captions: Int) -> String? {
    guard captions > 0 else { return nil }
    let covered = tiles.tiles.filter { !$0.isEmpty }.reduce(0) { $0 + $1.count }
    guard Double(covered) < 0.5 * Double(captions) else { return nil }
    let perTile = max(7, 1.75 * Double(tiles.minimumCount))
    guard Double(captions) >= perTile else {
      return "warning: only \(covered) of \(captions) captions are drawn: with so few captions, lower the minimum, "
        + "e.g. `tiles \(tiles.columns)x\(tiles.rows) min=1`"
    }
    let shape = Double(tiles.columns) / Double(tiles.rows)
    let columns = max(1, Int((Double(captions) / perTile * shape).squareRoot().rounded()))
    let rows = max(1, Int((Double(columns) / shape).rounded()))
    let share = Int((100 * Double(covered) / Double(captions)).rounded())
    return "warning: only \(covered) of \(captions) captions (\(share)%) are in tiles with ≥ \(tiles.minimumCount) captions, "
      + "so most of the map is not drawn: the grid \(tiles.columns)x\(tiles.rows) is too fine for \(captions) captions; "
      + "try `tiles \(columns)x\(rows) min=\(tiles.minimumCount)`"
  }

  static func summary(_ map: CaptionMap, record: StageRecord?, context: CommandContext) -> Table {
    let tiles = map.tiles
    var rows = [
      ["tiles", "\(tiles.columns)x\(tiles.rows) = \(tiles.tiles.count)"],
      ["tiles with ≥ \(tiles.minimumCount) captions", String(tiles.nonEmptyCount)],
      ["captions", String(map.count)],
      ["clusters (coarse / fine)", "\(map.clusters.coarseCount) / \(map.clusters.fineCount)"],
      ["regions", String(map.regions.count)], ["connections", String(map.connections.count)], ["labels", String(map.labels.count)],
    ]
    if let record, !context.session.reproducibleOutputs { rows.append(["time", record.provenance]) }
    return Table(columns: ["map", "value"], rows: rows, title: "Map", numericColumns: [])
  }
}
