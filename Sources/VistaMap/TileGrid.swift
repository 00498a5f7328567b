import VistaCore

/// The map cut into `columns x rows` tiles (VISTA's cartographic step; Activation Atlas's cells).
///
/// Every point belongs to exactly one tile, so the tiles partition the points. A tile with fewer
/// than `minimumCount` members is *empty*: it keeps its members (for queries and for neighbours to
/// borrow) but shows no representative, as the paper needs at least 4 captions to render a region.
public struct TileGrid: Sendable, Codable, Equatable {
  public var columns: Int
  public var rows: Int
  public var minimumCount: Int
  /// Tiles in row-major order: index = row * columns + column; row 0 is the top of the map.
  public var tiles: [Tile]

  public struct Tile: Sendable, Codable, Equatable {
    public var column: Int
    public var row: Int
    /// Member point indices, most central first (by PageRank in the tile's kNN subgraph).
    public var members: [Int]
    /// The representative point (highest PageRank); nil for an empty tile.
    public var representative: Int?
    /// Mean activation of the members (0 for a tile without members).
    public var meanActivation: Float
    /// The coarse cluster most members belong to (-1 when none).
    public var dominantCluster: Int
    public var count: Int { members.count }
    public var isEmpty: Bool { representative == nil }
  }

  /// The tile at a grid position.
  public func tile(column: Int, row: Int) -> Tile { tiles[row * columns + column] }

  /// The tile index that contains a canvas position.
  public func tileIndex(of p: SIMD2<Float>) -> Int {
    let c = min(columns - 1, max(0, Int(p.x * Float(columns))))
    let r = min(rows - 1, max(0, Int(p.y * Float(rows))))
    return r * columns + c
  }

  public var nonEmptyCount: Int { tiles.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) } }

  /// Cuts the layout into tiles and picks each tile's representative.
  ///
  /// - Parameters:
  ///   - layout: normalised positions.
  ///   - size: grid columns and rows.
  ///   - minimumCount: tiles with fewer members are empty (default 4, the paper's minimum).
  ///   - graph: the kNN graph; the representative is the PageRank maximum of the tile's subgraph.
  ///   - activations: per-point activation (for the mean), optional.
  ///   - clusters: per-point coarse cluster, optional.
  public static func build(
    layout: NormalizedLayout, size: GridSize, minimumCount: Int = 4, graph: NeighborGraph,
    activations: [Float]? = nil, clusters: [Int]? = nil
  ) -> TileGrid {
    var grid = TileGrid(columns: size.columns, rows: size.rows, minimumCount: minimumCount, tiles: [])
    var buckets = [[Int]](repeating: [], count: size.columns * size.rows)
    for (i, p) in layout.positions.enumerated() { buckets[grid.tileIndex(of: p)].append(i) }
    var localIndex = [Int](repeating: -1, count: layout.count)
    grid.tiles = buckets.enumerated().map { index, members in
      let column = index % size.columns, row = index / size.columns
      guard !members.isEmpty else {
        return Tile(column: column, row: row, members: [], representative: nil, meanActivation: 0, dominantCluster: -1)
      }
      for (l, i) in members.enumerated() { localIndex[i] = l }
      var adjacency = [[(Int, Float)]](repeating: [], count: members.count)
      for (l, i) in members.enumerated() {
        for e in graph.rowPointers[i]..<graph.rowPointers[i + 1] {
          let j = localIndex[Int(graph.neighbors[e])]
          if j >= 0 { adjacency[l].append((j, graph.weights[e])) }
        }
      }
      let rank = PageRank.scores(adjacency: adjacency)
      // Ties (e.g. a subgraph without edges) go to the member nearest the members' centroid.
      var centroid = SIMD2<Float>.zero
      for i in members { centroid += layout.positions[i] }
      centroid /= Float(members.count)
      func spread(_ i: Int) -> Float { let d = layout.positions[i] - centroid; return d.x * d.x + d.y * d.y }
      let order = (0..<members.count).sorted { a, b in
        if abs(rank[a] - rank[b]) > 1e-6 { return rank[a] > rank[b] }
        let da = spread(members[a]), db = spread(members[b])
        return da != db ? da < db : members[a] < members[b]
      }
      for i in members { localIndex[i] = -1 }
      let sorted = order.map { members[$0] }
      let mean = activations.map { a in sorted.reduce(Float(0)) { $0 + a[$1] } / Float(sorted.count) } ?? 0
      var dominant = -1
      if let clusters {
        var counts: [Int: Int] = [:]
        for i in sorted where clusters[i] >= 0 { counts[clusters[i], default: 0] += 1 }
        dominant = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? -1
      }
      return Tile(
        column: column, row: row, members: sorted,
        representative: sorted.count >= minimumCount ? sorted[0] : nil,
        meanActivation: mean, dominantCluster: dominant)
    }
    return grid
  }
}

/// A grid size such as `32x18` (columns x rows).
public struct GridSize: Sendable, Codable, Equatable, CustomStringConvertible {
  public var columns: Int
  public var rows: Int

  public init(columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
  }

  /// Parses `"32x18"`.
  /// - Throws: `VistaError` naming the option when the text is not two positive integers.
  public init(parsing text: String, option: String = "tiles") throws {
    let parts = text.lowercased().split(separator: "x")
    guard parts.count == 2, let c = Int(parts[0]), let r = Int(parts[1]), c > 0, r > 0, c * r <= 1_000_000 else {
      throw VistaError("expected COLUMNSxROWS such as 32x18, got '\(text)'", at: "option \(option)")
    }
    self.init(columns: c, rows: r)
  }

  /// Width / height of a canvas made of square tiles.
  public var aspect: Float { Float(columns) / Float(rows) }
  public var description: String { "\(columns)x\(rows)" }
}
