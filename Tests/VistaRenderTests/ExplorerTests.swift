import Foundation
import XCTest
import VistaCore
import VistaMap
@testable import VistaRender

final class ExplorerTests: XCTestCase {
  func testPageIsSelfContainedAndScopedToItsId() throws {
    var options = ExplorerOptions()
    options.instanceId = "vx-test"
    options.title = "explorer test"
    let html = try ExplorerPage.fragment(map: RenderFixtures.map, options: options)
    XCTAssertNil(html.range(of: "https?://", options: .regularExpression), "no external URL")
    XCTAssertNil(html.range(of: "<link", options: .caseInsensitive))
    XCTAssertNil(html.range(of: "<script[^>]*src=", options: [.regularExpression, .caseInsensitive]))
    // Every element id belongs to this instance.
    let ids = matches(of: #"\sid="([^"]+)""#, in: html)
    XCTAssertGreaterThan(ids.count, 10)
    XCTAssertTrue(ids.allSatisfy { $0 == "vx-test" || $0.hasPrefix("vx-test-") }, "\(ids.filter { !$0.hasPrefix("vx-test") })")
    XCTAssertLessThan(html.utf8.count, 450_000, "1,500 captions stay small")
    // Two explorers on a page get different ids by default.
    let a = try ExplorerPage.fragment(map: RenderFixtures.map), b = try ExplorerPage.fragment(map: RenderFixtures.map)
    XCTAssertNotEqual(matches(of: #"\sid="([^"]+)""#, in: a).first, matches(of: #"\sid="([^"]+)""#, in: b).first)
  }

  func testDataBlockSurvivesHostileCaptionsAndCarriesEveryPoint() throws {
    let f = RenderFixtures.sample
    var captions = f.captions
    captions[0] = "</script><script>alert(1)</script> & \"quotes\""
    let map = try CaptionMap.build(positions: Array(f.positions.prefix(200)), captions: Array(captions.prefix(200)), activations: Array(f.activations.prefix(200)))
    var options = ExplorerOptions()
    options.instanceId = "vx-hostile"
    let html = try ExplorerPage.fragment(map: map, options: options)
    XCTAssertEqual(html.components(separatedBy: "</script>").count - 1, 2, "only the page's own two script blocks close")
    let start = html.range(of: #"<script type="application/json" id="vx-hostile-data">"#)!.upperBound
    let end = html.range(of: "</script>", range: start..<html.endIndex)!.lowerBound
    let json = try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as! [String: Any]
    XCTAssertEqual(json["n"] as? Int, 200)
    XCTAssertEqual((json["x"] as? [Int])?.count, 200)
    XCTAssertEqual((json["cap"] as? [String])?.first, captions[0])
    XCTAssertEqual((json["meta"] as? [String: String])?["map.grid"], "32x18", "the page records how its map was made")
    XCTAssertThrowsError(try { var o = ExplorerOptions(); o.pointIds = [1]; _ = try ExplorerPage.fragment(map: map, options: o) }()) {
      XCTAssertEqual(($0 as? VistaError)?.location, "option ids")
    }
    XCTAssertThrowsError(try { var o = ExplorerOptions(); o.instanceId = "1 bad"; _ = try ExplorerPage.fragment(map: map, options: o) }())
  }

  /// Writes the sample explorer the browser test (Tests/python/test_explorer_browser.py) drives:
  /// `$VISTA_TEST_ARTIFACTS/explorer-sample.html` (default /tmp/vista-artifacts), with a small atlas
  /// pyramid next to it in `explorer-sample-atlas/`.
  func testWritesTheBrowserSample() throws {
    let map = RenderFixtures.map
    let folder = RenderFixtures.artifacts
    let atlasFolder = folder.appendingPathComponent("explorer-sample-atlas")
    var atlasOptions = AtlasOptions()
    atlasOptions.width = 1024
    try AtlasRenderer(map: map, options: atlasOptions).write(to: atlasFolder)
    var options = ExplorerOptions()
    options.instanceId = "vx-sample"
    options.title = "VISTA explorer sample"
    options.pointIds = (0..<map.count).map { 1000 + $0 }
    options.atlas = try ExplorerAtlas.load(directory: atlasFolder, basePath: "explorer-sample-atlas/", inlineLevels: 1)
    options.fallbackImage = try MapPreview.render(map, width: 600)
    XCTAssertEqual(options.atlas?.inline.count, 1 + 4, "levels 0 and 1 inlined")
    let html = try ExplorerPage.document(map: map, options: options)
    XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
    XCTAssertTrue(html.contains("data:image/png;base64,"))
    XCTAssertTrue(html.contains(#"<img id="vx-sample-static""#), "a static picture for untrusted notebooks")
    try html.write(to: folder.appendingPathComponent("explorer-sample.html"), atomically: true, encoding: .utf8)
  }

  func matches(of pattern: String, in text: String) -> [String] {
    let re = try! NSRegularExpression(pattern: pattern)
    return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
  }
}

final class CaptionQueryTests: XCTestCase {
  func testSearchFindsTheWordAndSortsByActivation() throws {
    let map = RenderFixtures.map
    let word = map.captions[0].split(separator: " ")[2].lowercased()
    let found = map.captions(matching: word.uppercased())
    XCTAssertFalse(found.isEmpty)
    XCTAssertTrue(found.allSatisfy { map.captions[$0].lowercased().contains(word) })
    XCTAssertEqual(found, found.sorted { map.activations[$0] != map.activations[$1] ? map.activations[$0] > map.activations[$1] : $0 < $1 })
  }

  func testTileRegionAndNearQueries() throws {
    let map = RenderFixtures.map
    let tile = map.tiles.tiles.first { !$0.isEmpty }!
    XCTAssertEqual(Set(try map.captions(inTileColumn: tile.column, row: tile.row)), Set(tile.members))
    XCTAssertThrowsError(try map.captions(inTileColumn: 99, row: 0)) { XCTAssertEqual(($0 as? VistaError)?.location, "option tile") }
    XCTAssertEqual(try map.captions(inRegion: 0).count, map.regions[0].count)
    XCTAssertThrowsError(try map.captions(inRegion: -1))
    let p = map.layout.positions[7]
    XCTAssertEqual(map.captions(near: p, count: 5).first, 7)
  }
}

final class HTMLEscapingTests: XCTestCase {
  func testEscapesMarkupAndBothQuotes() {
    XCTAssertEqual(HTMLEscaping.escape(#"Tom & <b>"x"</b> 'y' é"#), "Tom &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt; &#39;y&#39; é")
  }
}
