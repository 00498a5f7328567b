import XCTest
import VistaCore
@testable import VistaMap

final class RegionTests: XCTestCase {
  func testContourOfOneHotCellIsOneRingAroundIt() {
    var values = [Float](repeating: 0, count: 25)
    values[12] = 1  // centre of a 5 x 5 grid
    let field = DensityField(width: 5, height: 5, values: values, bandwidth: 0)
    let rings = ContourTracer.rings(of: field, level: 0.5)
    XCTAssertEqual(rings.count, 1)
    let centre = SIMD2<Float>(0.5, 0.5)
    for p in rings[0] { XCTAssertLessThan(((p - centre) * (p - centre)).sum().squareRoot(), 0.2) }
    XCTAssertTrue(Self.inside(centre, rings[0]))
    XCTAssertTrue(ContourTracer.rings(of: field, level: 2).isEmpty, "no ring above the maximum")
  }

  func testFieldTouchingTheBorderStillGivesClosedRings() {
    let field = DensityField(width: 4, height: 3, values: [Float](repeating: 1, count: 12), bandwidth: 0)
    let rings = ContourTracer.rings(of: field, level: 0.5)
    XCTAssertEqual(rings.count, 1)
    XCTAssertGreaterThan(ContourTracer.area(rings[0]), 0.7, "the ring hugs the whole grid")
  }

  func testDensityPeaksWhereThePointsAreAndRingsEncloseEachBlob() {
    let a = (0..<60).map { SIMD2<Float>(0.25 + 0.01 * Float($0 % 7), 0.5 + 0.01 * Float($0 % 5)) }
    let b = (0..<30).map { SIMD2<Float>(0.75 + 0.01 * Float($0 % 5), 0.3 + 0.01 * Float($0 % 3)) }
    let field = DensityField.estimate(points: a + b, width: 96, height: 54, aspect: 16.0 / 9.0, bandwidth: 0.03)
    XCTAssertLessThan(abs(field.peak.x - 0.28), 0.04)
    XCTAssertGreaterThan(field.value(at: SIMD2(0.28, 0.52)), 10 * field.value(at: SIMD2(0.5, 0.9)))
    let rings = ContourTracer.rings(of: field, level: field.maximum * 0.1)
    XCTAssertEqual(rings.count, 2, "two separate blobs give two rings")
    XCTAssertTrue(rings.contains { Self.inside(SIMD2(0.28, 0.52), $0) })
    XCTAssertTrue(rings.contains { Self.inside(SIMD2(0.77, 0.31), $0) })
  }

  static func inside(_ p: SIMD2<Float>, _ ring: [SIMD2<Float>]) -> Bool {
    var inside = false
    var j = ring.count - 1
    for i in ring.indices {
      let a = ring[i], b = ring[j]
      if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
      j = i
    }
    return inside
  }
}

final class ClusterTests: XCTestCase {
  /// Cliques of `size` nodes; consecutive cliques joined by `bridges` edges.
  func cliques(_ count: Int, size: Int, bridges: Int) throws -> NeighborGraph {
    let n = count * size, k = size - 1 + bridges
    var knn = [Int32](repeating: -1, count: n * k)
    for c in 0..<count {
      for a in 0..<size {
        var slot = 0
        for b in 0..<size where b != a { knn[(c * size + a) * k + slot] = Int32(c * size + b); slot += 1 }
        if a < bridges { knn[(c * size + a) * k + slot] = Int32(((c + 1) % count) * size + a) }
      }
    }
    return try NeighborGraph(knnIndices: knn, k: k, count: n)
  }

  func testLouvainRecoversPlantedCliquesAndLevelsNest() throws {
    let graph = try cliques(6, size: 8, bridges: 1)
    let h = try ClusterHierarchy.detect(graph: graph, seed: 1)
    XCTAssertEqual(h.fineCount, 6)
    for c in 0..<6 {
      let labels = Set((0..<8).map { h.fine[c * 8 + $0] })
      XCTAssertEqual(labels.count, 1, "clique \(c) is one fine cluster")
    }
    XCTAssertLessThanOrEqual(h.coarseCount, h.fineCount)
    for i in 0..<graph.count { XCTAssertEqual(h.parentOfFine[h.fine[i]], h.coarse[i], "fine clusters nest in coarse ones") }
    XCTAssertEqual(try ClusterHierarchy.detect(graph: graph, seed: 1), h, "same seed, same clusters")
  }

  func testClustersBelowTheMinimumAreMergedIntoTheirNeighbour() throws {
    // Two cliques of 8 and a pair hanging off the first clique.
    var knn: [Int32] = []
    let k = 8
    for a in 0..<16 {
      var row = (0..<8).map { Int32(a < 8 ? $0 : 8 + $0) }.filter { $0 != Int32(a) }
      if a == 15 { row.append(0) } else { row.append(-1) }
      knn += row
    }
    knn += [17, 0, -1, -1, -1, -1, -1, -1, 16, 0, -1, -1, -1, -1, -1, -1]
    let graph = try NeighborGraph(knnIndices: knn, k: k, count: 18)
    let h = try ClusterHierarchy.detect(graph: graph, minimumSize: 4, seed: 2)
    let sizes = Dictionary(grouping: h.fine, by: { $0 }).mapValues(\.count)
    XCTAssertTrue(sizes.values.allSatisfy { $0 >= 4 }, "no fine cluster under 4 points: \(sizes)")
    XCTAssertEqual(h.fine[16], h.fine[0], "the pair joins the clique it links to")
  }

  func testConnectionsAreWeightedByLinkStrength() throws {
    // Clusters 0-1 joined by 4 bridges, 1-2 by 1 bridge, 0-2 by none.
    let size = 10, n = 30, k = size - 1 + 1
    var knn = [Int32](repeating: -1, count: n * k)
    for c in 0..<3 {
      for a in 0..<size {
        var slot = 0
        for b in 0..<size where b != a { knn[(c * size + a) * k + slot] = Int32(c * size + b); slot += 1 }
      }
    }
    for a in 0..<4 { knn[a * k + 9] = Int32(size + a) }
    knn[(size + 5) * k + 9] = Int32(2 * size + 5)
    let graph = try NeighborGraph(knnIndices: knn, k: k, count: n)
    let labels = (0..<n).map { $0 / size }
    let links = ClusterConnection.between(labels: labels, clusterCount: 3, graph: graph, minimumStrength: 0)
    XCTAssertEqual(links.count, 2, "no link where the graph has no edge")
    XCTAssertEqual([links[0].from, links[0].to], [0, 1])
    XCTAssertEqual([links[1].from, links[1].to], [1, 2])
    XCTAssertEqual(links[0].weight / links[1].weight, 4, accuracy: 1e-4)
    XCTAssertEqual(links.map(\.share).reduce(0, +), 1, accuracy: 1e-5)
    XCTAssertTrue(ClusterConnection.between(labels: labels, clusterCount: 3, graph: graph, minimumStrength: 0.5).isEmpty)
  }

  func testLatentKNNGraphFindsTheThemesOfTheSample() throws {
    let s = MapSample.make(count: 240, clusters: 4, seed: 11)
    let knn = MapFixtures.cosineKNN(s.latents, k: 10)
    let map = try CaptionMap.build(positions: s.positions, captions: s.captions, activations: s.activations, knn: (knn, 10))
    XCTAssertTrue(map.graphFromLatents)
    // Purity: most points of each coarse cluster share one generating theme.
    var agree = 0
    for members in map.clusters.coarseMembers {
      let counts = Dictionary(grouping: members, by: { s.truth[$0] }).mapValues(\.count)
      agree += counts.values.max() ?? 0
    }
    XCTAssertGreaterThan(Float(agree) / Float(map.count), 0.9)
  }
}
