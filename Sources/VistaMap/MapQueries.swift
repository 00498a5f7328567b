import VistaCore

/// The caption subsets behind `captions tile=12,4`, `region=N`, `near=x,y` and `search=TEXT`: point
/// indices sorted by activation, highest first (ties by index).
extension CaptionMap {
  /// Captions in a tile.
  /// - Throws: `VistaError` naming `option tile` when the tile is outside the grid.
  public func captions(inTileColumn column: Int, row: Int) throws -> [Int] {
    guard column >= 0, column < tiles.columns, row >= 0, row < tiles.rows else {
      throw VistaError("tile \(column),\(row) is outside the \(tiles.columns)x\(tiles.rows) grid", at: "option tile")
    }
    return byActivation(tiles.tile(column: column, row: row).members)
  }

  /// Captions of a coarse region.
  /// - Throws: `VistaError` naming `option region` for an unknown region.
  public func captions(inRegion cluster: Int) throws -> [Int] {
    guard cluster >= 0, cluster < clusters.coarseCount else {
      throw VistaError("region \(cluster) does not exist (0..<\(clusters.coarseCount))", at: "option region")
    }
    return byActivation(clusters.coarseMembers[cluster])
  }

  /// The `count` captions nearest a canvas position (x, y in [0, 1], y down), nearest first.
  public func captions(near point: SIMD2<Float>, count: Int = 20) -> [Int] {
    let d = layout.positions.map { ($0 - point) * ($0 - point) }.map { $0.x + $0.y }
    return Array(d.indices.sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }.prefix(max(0, count)))
  }

  /// Captions containing every word of `text` (case-insensitive substring match).
  public func captions(matching text: String) -> [Int] {
    let words = Self.searchWords(text)
    guard !words.isEmpty else { return [] }
    return byActivation(captions.indices.filter { i in
      let c = captions[i].lowercased()
      return words.allSatisfy { c.contains($0) }
    })
  }

  /// The lower-cased words of a search.
  public static func searchWords(_ text: String) -> [String] {
    text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
  }

  /// The coarse region label text of a point ("" when unlabelled).
  public func regionLabel(of point: Int) -> String {
    let c = clusters.coarse[point]
    return labels.first { $0.level == 0 && $0.cluster == c }?.text ?? ""
  }

  func byActivation(_ indices: [Int]) -> [Int] {
    indices.sorted { activations[$0] != activations[$1] ? activations[$0] > activations[$1] : $0 < $1 }
  }
}
