import Foundation
import VistaCore
import VistaData
import VistaMap

/// `captions tile=12,4 | region=N | near=x,y | search=TEXT | selection`: the captions behind a part of the map.
struct CaptionsCommand: Command {
  let spec = CommandSpec(
    ["captions"], group: .map, summary: "List the captions of a tile, a region, a spot, a search or the explorer's selection",
    arguments: [ArgumentSpec("SELECTION", .choice(["selection", "all"]), required: false,
                             "`selection`: what was selected in the explorer; `all`: every mapped caption")],
    options: [
      OptionSpec("tile", .integerPair, "a tile as column,row (0-based, from the top-left)"),
      OptionSpec("region", .integer(min: 0), "a region (coarse cluster) number"),
      OptionSpec("near", .point, "a spot on the map as x,y in map units (0..1 from the left and the top)"),
      OptionSpec("search", .text, "words to find in the captions (case-insensitive, all must match)"),
      OptionSpec("ids", .text, "dataset rows, comma-separated (what the explorer's selection box shows)"),
      OptionSpec("count", .integer(min: 1), default: "20", "how many captions `near=` lists"),
      OptionSpec("page", .integer(min: 1), default: "1", "which page of a long table"),
      OptionSpec("page_size", .integer(min: 1, max: 1000), default: "25", "rows per page"),
    ],
    details: "Rows are sorted by the latent's activation (strongest first); search words are highlighted.",
    examples: ["captions tile=12,4", "captions region=3", "captions near=0.5,0.5 count=10", "captions search=\"red bird\"", "captions selection"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let map = try PreviewCommand.currentMap(context)
    let captions = try context.session.require(.dataset, as: CaptionSet.self)
    let selection = try context.session.require(.selection, as: LatentSelection.self)
    let modes = ["tile", "region", "near", "search", "ids"].filter { invocation.explicit.contains($0) }
      + (invocation.value("SELECTION") != nil ? ["SELECTION"] : [])
    guard modes.count <= 1 else {
      throw CommandError(.badOption, "give one of tile=, region=, near=, search= or selection (got \(modes.joined(separator: ", ")))",
                         at: invocation.position)
    }
    var points: [Int]
    var title: String
    var terms: [String] = []
    switch modes.first {
    case "tile":
      let (c, r) = invocation.pair("tile") ?? (0, 0)
      let column = Int(c), row = Int(r)
      guard column >= 0, column < map.tiles.columns, row >= 0, row < map.tiles.rows else {
        throw invocation.badValue("tile", "tile \(column),\(row) is outside the \(map.tiles.columns)x\(map.tiles.rows) grid (columns 0…\(map.tiles.columns - 1), rows 0…\(map.tiles.rows - 1))")
      }
      let tile = map.tiles.tile(column: column, row: row)
      points = tile.members
      title = "Tile \(column),\(row)"
      if let rep = tile.representative { title += " — representative: “\(map.captions[rep])”" }
    case "region":
      let region = invocation.int("region") ?? 0
      guard region < map.clusters.coarseCount else {
        throw invocation.badValue("region", "there are \(map.clusters.coarseCount) regions (0…\(map.clusters.coarseCount - 1))")
      }
      points = map.clusters.coarse.indices.filter { map.clusters.coarse[$0] == region }
      title = "Region \(region)"
      if let label = map.labels.first(where: { $0.cluster == region && $0.level == 0 }) { title += " — \(label.text)" }
    case "near":
      let (x, y) = invocation.pair("near") ?? (0.5, 0.5)
      let target = SIMD2(Float(x), Float(y))
      let count = invocation.int("count") ?? 20
      points = map.layout.positions.indices.sorted {
        let a = map.layout.positions[$0] - target, b = map.layout.positions[$1] - target
        let da = (a * a).sum(), db = (b * b).sum()
        return da != db ? da < db : $0 < $1
      }
      points = Array(points.prefix(count))
      title = "The \(points.count) captions nearest to \(Value.format(x)),\(Value.format(y))"
    case "search":
      let query = invocation.string("search") ?? ""
      terms = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
      points = map.captions.indices.filter { i in
        let text = map.captions[i].lowercased()
        return terms.allSatisfy { text.contains($0) }
      }
      title = "Captions matching “\(query)” (\(points.count))"
    case "ids":
      let text = invocation.string("ids") ?? ""
      let mapIndex = Dictionary(selection.rows.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
      var picked: [Int] = []
      for part in text.split(separator: ",") {
        guard let row = Int(part.trimmingCharacters(in: .whitespaces)) else {
          throw invocation.badValue("ids", "expected dataset rows like 3,17,42, got '\(part)'")
        }
        if let i = mapIndex[row] { picked.append(i) }
      }
      points = picked
      title = "\(points.count) selected captions"
    case "SELECTION":
      if invocation.string("SELECTION") == "all" {
        points = Array(0..<map.count)
        title = "All \(map.count) mapped captions"
      } else {
        guard let picked = context.state.explorerSelection else {
          throw CommandError(.stageNotReady, "nothing selected yet: select an area in the explorer (`explore`) first", at: invocation.position)
        }
        let byId = Dictionary(selection.rows.enumerated().map { (captions.ids[$0.element], $0.offset) }, uniquingKeysWith: { a, _ in a })
        var set = Set(picked.indices.filter { $0 >= 0 && $0 < map.count })
        let byRow = Dictionary(selection.rows.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for id in picked.ids {
          if let i = byId[id] { set.insert(i) } else if let row = Int(id), let i = byRow[row] { set.insert(i) }
        }
        points = Array(set)
        title = "Explorer selection (\(points.count) captions)"
      }
    default:
      throw CommandError(.missingArgument, "say which captions: tile=C,R, region=N, near=X,Y, search=TEXT or selection", at: invocation.position)
    }
    if modes.first != "near" {
      points.sort { map.activations[$0] != map.activations[$1] ? map.activations[$0] > map.activations[$1] : $0 < $1 }
    }
    let table = Self.table(points, map: map, captions: captions, selection: selection, title: title, terms: terms)
      .page(invocation.int("page") ?? 1, size: invocation.int("page_size") ?? 25) { next in
        let base = invocation.text.replacingOccurrences(of: #"\s*page=\S+"#, with: "", options: .regularExpression)
        return "`\(base) page=\(next)`"
      }
    context.display(table)
    context.session.recordOutputCommand(invocation.text, requires: .map)
    return .none
  }

  static func table(_ points: [Int], map: CaptionMap, captions: CaptionSet, selection: LatentSelection, title: String, terms: [String]) -> Table {
    var rows: [[String]] = []
    var html: [[String]] = []
    for (rank, i) in points.enumerated() {
      let row = selection.rows[i]
      let tileIndex = map.tiles.tileIndex(of: map.layout.positions[i])
      let tile = "\(tileIndex % map.tiles.columns),\(tileIndex / map.tiles.columns)"
      let cells = [String(rank + 1), captions.ids[row], captions.texts[row], String(format: "%.3f", map.activations[i]), tile,
                   String(map.clusters.coarse[i])]
      rows.append(cells)
      var h = cells.map(HTML.escape)
      h[2] = HTML.highlight(captions.texts[row], terms: terms)
      html.append(h)
    }
    return Table(columns: ["#", "id", "caption", "activation", "tile", "region"], rows: rows, htmlRows: html, title: title,
                 numericColumns: [0, 3])
  }
}
