import Foundation
import XCTest
import VistaCore
@testable import VistaMap

final class RenderPlanTests: XCTestCase {
  static let sample = MapSample.make(count: 1200, clusters: 6, seed: 5)
  static let map: CaptionMap = {
    var options = MapOptions()
    options.grid = GridSize(columns: 16, rows: 9)
    return try! CaptionMap.build(positions: sample.positions, captions: sample.captions, activations: sample.activations, options: options)
  }()

  func smallOptions(seed: UInt64 = 1) -> RenderPlanOptions {
    var o = RenderPlanOptions()
    o.steps = 20
    o.tilePixels = 256  // 32 latent units per tile
    o.window = 64
    o.stride = 32
    o.seed = seed
    return o
  }

  func testPlanUsesOnlyCaptionsOfEachWindowsRegionAndVariesThem() throws {
    let map = Self.map
    let plan = try RenderPlanner.plan(map: map, latents: Self.sample.latents, options: smallOptions())
    XCTAssertEqual(plan.canvas.latentWidth, 16 * 32)
    XCTAssertEqual(plan.canvas.width, 16 * 256)
    XCTAssertEqual(plan.schedule.count, 20)
    // Windows at stride 32 over 512 x 288 latents with size 64: 15 x 8.
    XCTAssertEqual(plan.windows.count, 15 * 8)
    let pointOf = Dictionary(uniqueKeysWithValues: plan.captions.map { ($0.id, $0.point) })
    var varied = 0, withPool = 0
    for (w, window) in plan.windows.enumerated() {
      let region = Set((window.tiles + window.borrowedTiles).flatMap { map.tiles.tiles[$0].members })
      for id in window.pool { XCTAssertTrue(region.contains(pointOf[id]!), "window \(w) draws a caption from outside its region") }
      let used = plan.schedule.map { $0[w] }
      if window.pool.isEmpty {
        XCTAssertTrue(used.allSatisfy { $0 == -1 }, "an empty window uses the background prompt")
        continue
      }
      withPool += 1
      XCTAssertTrue(used.allSatisfy { window.pool.contains($0) })
      if window.pool.count >= 2 {
        for t in 1..<used.count { XCTAssertNotEqual(used[t], used[t - 1], "window \(w) repeats a caption on consecutive steps") }
        varied += 1
        XCTAssertEqual(Set(used).count, min(window.pool.count, used.count), "the schedule cycles through the pool")
      }
      // At least 4 points per cluster kept in the pool (unless the window's only group is smaller).
      let groups = Dictionary(grouping: window.pool.map { pointOf[$0]! }, by: { map.clusters.coarse[$0] })
      if groups.count > 1 { XCTAssertTrue(groups.values.allSatisfy { $0.count >= 4 }, "window \(w): \(groups.mapValues(\.count))") }
    }
    XCTAssertGreaterThan(withPool, 20)
    XCTAssertGreaterThan(varied, 20)
  }

  func testOutliersAreDroppedFromThePool() throws {
    let map = Self.map
    let plan = try RenderPlanner.plan(map: map, latents: Self.sample.latents, options: smallOptions())
    let filter = OutlierFilter(map: map, latents: Self.sample.latents, mads: 2.5)
    let pooled = Set(plan.captions.map(\.point))
    let outliers = (0..<map.count).filter { filter.isOutlier($0, cluster: map.clusters.coarse[$0]) }
    XCTAssertFalse(outliers.isEmpty, "the sample has off-theme points")
    let kept = outliers.filter { pooled.contains($0) }.count
    XCTAssertLessThan(Double(kept), 0.2 * Double(outliers.count), "outliers stay out unless a pool would fall under 4")
  }

  func testSparseWindowsBorrowFromNeighbouringTiles() throws {
    // Ten points in one corner tile only: every window that holds fewer than 4 borrows, up to 2 rings.
    let positions = (0..<10).map { SIMD2<Float>(0.02 + 0.001 * Float($0), 0.03) } + [SIMD2(0.99, 0.99)]
    let layout = NormalizedLayout(canvasPositions: positions, aspect: 2)
    var options = MapOptions()
    options.grid = GridSize(columns: 8, rows: 4)
    let map = try CaptionMap.build(layout: layout, captions: positions.indices.map { "caption \($0)" }, activations: positions.map { _ in 1 }, options: options)
    var plan = smallOptions()
    plan.tilePixels = 128  // 16 latent per tile
    plan.window = 16
    plan.stride = 16
    let p = try RenderPlanner.plan(map: map, options: plan)
    let second = p.windows.first { $0.x0 == 16 && $0.y0 == 0 }!
    XCTAssertFalse(second.borrowedTiles.isEmpty)
    XCTAssertGreaterThanOrEqual(second.pool.count, 4, "the neighbour of the dense tile borrows its captions")
    let far = p.windows.first { $0.x0 == 16 * 4 && $0.y0 == 16 * 2 }!
    XCTAssertTrue(far.pool.isEmpty, "beyond the borrow radius there is nothing: background")
  }

  func testPlanIsDeterministicForASeedAndRoundTripsAsJSON() throws {
    let a = try RenderPlanner.plan(map: Self.map, options: smallOptions(seed: 3))
    let b = try RenderPlanner.plan(map: Self.map, options: smallOptions(seed: 3))
    let c = try RenderPlanner.plan(map: Self.map, options: smallOptions(seed: 4))
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a.schedule, c.schedule)
    let data = try JSONEncoder().encode(a)
    XCTAssertEqual(try JSONDecoder().decode(RenderPlan.self, from: data), a)
    let text = String(decoding: data, as: UTF8.self)
    for key in ["\"canvas\"", "\"model\"", "\"windows\"", "\"captions\"", "\"schedule\"", "\"provenance\""] { XCTAssertTrue(text.contains(key)) }
  }

  func testImpossibleGeometryIsRefusedWithTheOptionNamed() {
    var o = smallOptions()
    o.window = 10_000
    XCTAssertThrowsError(try RenderPlanner.plan(map: Self.map, options: o)) { XCTAssertEqual(($0 as? VistaError)?.location, "option window") }
    o = smallOptions(); o.stride = 0
    XCTAssertThrowsError(try RenderPlanner.plan(map: Self.map, options: o)) { XCTAssertEqual(($0 as? VistaError)?.location, "option stride") }
    o = smallOptions(); o.mask = "gauss"
    XCTAssertThrowsError(try RenderPlanner.plan(map: Self.map, options: o)) { XCTAssertEqual(($0 as? VistaError)?.location, "option mask") }
    o = smallOptions(); o.tilePixels = 250
    XCTAssertThrowsError(try RenderPlanner.plan(map: Self.map, options: o)) { XCTAssertEqual(($0 as? VistaError)?.location, "option tile_pixels") }
  }
}

final class CaptionMapTests: XCTestCase {
  func testBuildIsDeterministicAndLabelsEveryRegion() throws {
    let f = MapFixtures.blobs(groups: 4, size: 40)
    let a = try CaptionMap.build(positions: f.positions, captions: f.captions, activations: f.activations)
    let b = try CaptionMap.build(positions: f.positions, captions: f.captions, activations: f.activations)
    XCTAssertEqual(a.clusters, b.clusters)
    XCTAssertEqual(a.labels, b.labels)
    XCTAssertEqual(a.tiles, b.tiles)
    XCTAssertEqual(a.clusters.coarseCount, 4, "four separated blobs are four regions")
    XCTAssertEqual(a.regions.count, 4)
    for region in a.regions {
      XCTAssertFalse(region.contours[0].isEmpty, "region \(region.cluster) has an outline")
      XCTAssertTrue(region.contours[0].contains { RegionTests.inside(region.peak, $0) }, "the peak lies inside its outline")
    }
    let coarseLabels = a.labels.filter { $0.level == 0 }
    XCTAssertEqual(coarseLabels.count, 4)
    // Each blob's label names its theme.
    for label in coarseLabels {
      let members = a.clusters.coarseMembers[label.cluster]
      let theme = a.captions[members[0]].split(separator: " ")[2]
      XCTAssertTrue(label.text.contains(theme), "\(label.text) should mention \(theme)")
    }
  }

  func testMismatchedInputsAreRefused() {
    let f = MapFixtures.blobs(groups: 2, size: 10)
    XCTAssertThrowsError(try CaptionMap.build(positions: f.positions, captions: Array(f.captions.dropLast()), activations: f.activations)) {
      XCTAssertEqual(($0 as? VistaError)?.location, "captions")
    }
    var bad = f.activations
    bad[3] = .infinity
    XCTAssertThrowsError(try CaptionMap.build(positions: f.positions, captions: f.captions, activations: bad)) {
      XCTAssertEqual(($0 as? VistaError)?.location, "activations row 3")
    }
    // The normalised-layout entry point checks the same inputs.
    let layout = try! NormalizedLayout(raw: f.positions, aspect: 1)
    XCTAssertThrowsError(try CaptionMap.build(layout: layout, captions: f.captions, activations: bad)) {
      XCTAssertEqual(($0 as? VistaError)?.location, "activations row 3")
    }
    var noMinimum = MapOptions()
    noMinimum.minimumTileCount = 0
    XCTAssertThrowsError(try CaptionMap.build(layout: layout, captions: f.captions, activations: f.activations, options: noMinimum)) {
      XCTAssertEqual(($0 as? VistaError)?.location, "option min_count")
    }
    XCTAssertThrowsError(try CaptionMap.build(positions: f.positions, captions: f.captions, activations: f.activations, knn: ([0, 1], 1))) {
      XCTAssertEqual(($0 as? VistaError)?.location, "knn")
    }
  }

  func testCancellationStopsTheBuild() {
    let f = MapFixtures.blobs(groups: 3, size: 20)
    let progress = VistaCore.Progress()
    progress.cancel()
    XCTAssertThrowsError(try CaptionMap.build(positions: f.positions, captions: f.captions, activations: f.activations, progress: progress)) {
      XCTAssertTrue($0 is CancellationError)
    }
  }
}
