import Foundation
import XCTest
import VistaCore
import VistaMap
@testable import VistaRender

final class AtlasTests: XCTestCase {
  func testPyramidGeometry() {
    let m = AtlasManifest(width: 16_384, height: 9_216, tileSize: 256, gridColumns: 32, gridRows: 18, background: "#fff")
    XCTAssertEqual(m.maxLevel, 6)
    XCTAssertEqual(m.levels[0].columns * m.levels[0].rows, 1, "level 0 fits in one tile")
    XCTAssertEqual(m.levels[6].columns, 64)
    XCTAssertEqual(m.levels[6].rows, 36)
    XCTAssertEqual(m.levels[5].width, 8_192)
  }

  func testAtlasWritesEveryTileWithCaptionsInRegionColours() throws {
    let map = RenderFixtures.map
    var options = AtlasOptions()
    options.width = 1024
    let atlas = try AtlasRenderer(map: map, options: options)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vista-atlas-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let fractions = LockedList()
    let manifest = try atlas.write(to: folder, threads: 2, progress: VistaCore.Progress { _, f in fractions.append(f) })
    // One thread writes the same bytes.
    let serial = folder.appendingPathComponent("serial")
    try atlas.write(to: serial, threads: 1)
    XCTAssertEqual(try Data(contentsOf: serial.appendingPathComponent("2/1_1.png")), try Data(contentsOf: folder.appendingPathComponent("2/1_1.png")))
    XCTAssertEqual(manifest.height, 576)
    var files = 0
    for level in manifest.levels {
      for y in 0..<level.rows {
        for x in 0..<level.columns {
          let url = folder.appendingPathComponent("\(level.level)/\(x)_\(y).png")
          let image = try DecodedImage(png: Array(try Data(contentsOf: url)))
          XCTAssertEqual(image.width, min(256, level.width - x * 256))
          XCTAssertEqual(image.height, min(256, level.height - y * 256))
          files += 1
        }
      }
    }
    XCTAssertEqual(files, manifest.tileCount)
    XCTAssertEqual(fractions.values.last, 1)
    let decoded = try JSONDecoder().decode(AtlasManifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    XCTAssertEqual(decoded, manifest)
    // At 4096 px (256 px per map tile) the tile under the first non-empty map tile shows its caption
    // in its region's ink: dark pixels of the ink's hue inside the card's text block.
    var big = options
    big.width = 4096
    let detailed = try AtlasRenderer(map: map, options: big)
    let tile = map.tiles.tiles.first { !$0.isEmpty && $0.dominantCluster >= 0 }!
    let image = try detailed.renderTile(level: detailed.manifest.maxLevel, x: tile.column, y: tile.row).decoded()
    let ink = options.style.regionInk(hue: Palette.regionHues(map)[tile.dominantCluster])
    XCTAssertGreaterThan(image.count(near: ink, tolerance: 0.1, in: (20, 40, 216, 140)), 40, "the caption is set in its region's ink")
    XCTAssertGreaterThan(image.distinctColorCount, 20)
    XCTAssertThrowsError(try atlas.renderTile(level: 9, x: 0, y: 0))
  }

  func testAtlasStopsWhenCancelled() throws {
    var options = AtlasOptions()
    options.width = 2048
    let atlas = try AtlasRenderer(map: RenderFixtures.map, options: options)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vista-atlas-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    // A progress that cancels itself after five tiles, as a Jupyter interrupt would.
    let holder = ProgressHolder()
    let progress = VistaCore.Progress { _, _ in holder.count += 1; if holder.count == 5 { holder.progress?.cancel() } }
    progress.throttle = 0
    holder.progress = progress
    XCTAssertThrowsError(try atlas.write(to: folder, threads: 1, progress: progress)) { XCTAssertTrue($0 is CancellationError) }
    let written = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }.count) ?? 0
    XCTAssertEqual(written, 5, "stops between tiles: the tiles done so far stay")
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.json").path))
  }

  func testBadAtlasOptionsAreRefused() {
    var o = AtlasOptions()
    o.tileSize = 8
    XCTAssertThrowsError(try AtlasRenderer(map: RenderFixtures.map, options: o)) { XCTAssertEqual(($0 as? VistaError)?.location, "option tile") }
  }
}

final class ProgressHolder: @unchecked Sendable {
  var progress: VistaCore.Progress?
  var count = 0
}

final class LockedList: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [Double] = []
  func append(_ v: Double) { lock.lock(); items.append(v); lock.unlock() }
  var values: [Double] { lock.lock(); defer { lock.unlock() }; return items }
}
