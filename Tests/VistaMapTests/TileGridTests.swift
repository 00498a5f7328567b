import XCTest
import VistaCore
@testable import VistaMap

final class TileGridTests: XCTestCase {
  func testTilesPartitionThePointsAndRespectTheMinimum() throws {
    let s = MapSample.make(count: 900, clusters: 6)
    var options = MapOptions()
    options.grid = GridSize(columns: 16, rows: 9)
    let map = try CaptionMap.build(positions: s.positions, captions: s.captions, activations: s.activations, options: options)
    XCTAssertEqual(map.tiles.tiles.count, 16 * 9)
    var seen = [Int](repeating: 0, count: map.count)
    for tile in map.tiles.tiles {
      for i in tile.members {
        seen[i] += 1
        // Each member really lies inside its tile's rectangle [c/16, (c+1)/16] x [r/9, (r+1)/9] (closed,
        // with a float tolerance: a point on a shared edge may go to either side).
        let p = map.layout.positions[i]
        let lo = SIMD2(Float(tile.column) / 16, Float(tile.row) / 9), hi = SIMD2(Float(tile.column + 1) / 16, Float(tile.row + 1) / 9)
        XCTAssertTrue(p.x >= lo.x - 1e-6 && p.x <= hi.x + 1e-6 && p.y >= lo.y - 1e-6 && p.y <= hi.y + 1e-6,
                      "point \(i) at \(p) is outside tile (\(tile.column), \(tile.row))")
      }
      if tile.isEmpty {
        XCTAssertLessThan(tile.count, options.minimumTileCount)
      } else {
        XCTAssertGreaterThanOrEqual(tile.count, options.minimumTileCount)
        XCTAssertEqual(tile.representative, tile.members.first)
      }
    }
    XCTAssertEqual(seen, [Int](repeating: 1, count: map.count), "every point is in exactly one tile")
    XCTAssertGreaterThan(map.tiles.nonEmptyCount, 10)
    XCTAssertLessThan(map.tiles.nonEmptyCount, 16 * 9, "a clustered map leaves some tiles empty")
  }

  func testRepresentativeIsTheMostCentralMemberOfTheTileGraph() throws {
    // Five points in one tile: point 3 is the hub every other point links to.
    let positions: [SIMD2<Float>] = [SIMD2(0.1, 0.1), SIMD2(0.2, 0.1), SIMD2(0.1, 0.2), SIMD2(0.4, 0.4), SIMD2(0.2, 0.2)]
    let layout = NormalizedLayout(canvasPositions: positions, aspect: 1)
    let knn: [Int32] = [3, -1, 3, -1, 3, -1, 0, 1, 3, -1]
    let graph = try NeighborGraph(knnIndices: knn, k: 2, count: 5)
    let grid = TileGrid.build(layout: layout, size: GridSize(columns: 1, rows: 1), minimumCount: 4, graph: graph)
    XCTAssertEqual(grid.tiles[0].representative, 3, "the hub has the highest PageRank even though it is not the spatial centre")
    let sparse = TileGrid.build(layout: layout, size: GridSize(columns: 1, rows: 1), minimumCount: 6, graph: graph)
    XCTAssertTrue(sparse.tiles[0].isEmpty, "5 points are below a minimum of 6")
    XCTAssertEqual(sparse.tiles[0].count, 5, "an empty tile still lists its members")
  }

  func testPageRankScoresSumToOneAndFavourHubs() {
    let adjacency: [[(Int, Float)]] = [[(1, 1)], [(0, 1), (2, 1), (3, 1)], [(1, 1)], [(1, 1)]]
    let r = PageRank.scores(adjacency: adjacency)
    XCTAssertEqual(r.reduce(0, +), 1, accuracy: 1e-4)
    XCTAssertEqual(r.indices.max { r[$0] < r[$1] }, 1)
  }
}
