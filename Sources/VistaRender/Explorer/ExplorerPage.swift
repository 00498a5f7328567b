import Foundation
import VistaCore
import VistaMap

/// Options of the explorer page.
public struct ExplorerOptions: Sendable {
  /// DOM id prefix; must be unique per page. Nil derives one from the data and a per-process counter.
  public var instanceId: String?
  public var title = "VISTA map"
  /// The Jupyter kernel id, so the page can reach the kernel over the server's websocket (transport b).
  public var kernelId: String?
  /// Stable caption ids (e.g. rows of the caption pool) sent with a selection; point indices when nil.
  public var pointIds: [Int]?
  /// Colour points by a categorical column instead of activation.
  public var category: (name: String, values: [String])?
  /// An atlas pyramid to show under the points.
  public var atlas: ExplorerAtlas?
  public var colormap: Colormap = .viridis
  /// Reproducibility record shown in the footer and kept in the data (latent, metric, lambda, UMAP
  /// options and seed, code version...); the map's own options are always added.
  public var provenance: [String: String] = [:]
  /// A static picture of the map shown until the script runs: what a saved notebook shows when its
  /// outputs are not trusted (Jupyter then strips scripts). Nil for none (e.g. `MapPreview.render` at 900 px).
  public var fallbackImage: PNGImage?

  public init() {}
}

/// An atlas pyramid as the explorer sees it: its manifest, the URL prefix of its tiles relative to the
/// page, and tiles inlined as data URIs.
///
/// Lower levels (by default z <= 3, at most 85 tiles) are inlined so the overview works in a saved
/// notebook with no files around it; deeper levels are referenced as relative files
/// (`<basePath><z>/<x>_<y>.png`), which load when the page sits next to the pyramid folder
/// (`export explorer PATH` writes both) and are simply missing otherwise.
public struct ExplorerAtlas: Sendable {
  public var manifest: AtlasManifest
  public var basePath: String
  public var inline: [String: String]

  public init(manifest: AtlasManifest, basePath: String, inline: [String: String] = [:]) {
    self.manifest = manifest
    self.basePath = basePath
    self.inline = inline
  }

  /// Reads a pyramid folder written by `AtlasRenderer` and inlines its levels up to `inlineLevels`.
  ///
  /// - Throws: `VistaError` when the manifest is missing or unreadable.
  public static func load(directory: URL, basePath: String, inlineLevels: Int = 3) throws -> ExplorerAtlas {
    let url = directory.appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: url) else { throw VistaError("no atlas manifest", at: url.path) }
    let manifest: AtlasManifest
    do { manifest = try JSONDecoder().decode(AtlasManifest.self, from: data) } catch {
      throw VistaError("unreadable atlas manifest: \(error)", at: url.path)
    }
    var inline: [String: String] = [:]
    for level in manifest.levels where level.level <= inlineLevels {
      for y in 0..<level.rows {
        for x in 0..<level.columns {
          let key = "\(level.level)/\(x)_\(y)"
          if let png = try? Data(contentsOf: directory.appendingPathComponent(key + ".png")) {
            inline[key] = "data:image/png;base64," + png.base64EncodedString()
          }
        }
      }
    }
    return ExplorerAtlas(manifest: manifest, basePath: basePath.isEmpty || basePath.hasSuffix("/") ? basePath : basePath + "/", inline: inline)
  }
}

/// The interactive explorer as one self-contained HTML fragment (also a valid standalone page body):
/// canvas pan/zoom over regions, links, points, labels and the optional atlas; hover tooltips; caption
/// search; box and lasso selection sent to the kernel on comm target `vista.explorer`.
///
/// No network: script, style and data are inline. Coordinates are quantised to 1/10,000 of the map
/// and activations to 4 significant digits, so 4,000 captions make a page of about 0.5 MB.
public enum ExplorerPage {
  private static let counter = Counter()

  /// The HTML fragment for a notebook output (`text/html`).
  ///
  /// - Throws: `VistaError` when optional columns have the wrong length.
  public static func fragment(map: CaptionMap, options: ExplorerOptions = ExplorerOptions()) throws -> String {
    let id = options.instanceId ?? defaultId(map)
    guard id.range(of: "^[A-Za-z][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
      throw VistaError("instance id must start with a letter and hold only letters, digits, - and _", at: "option id")
    }
    let json = try dataJSON(map: map, options: options, id: id)
    let script = ExplorerScript.js.replacingOccurrences(of: "__VX_ID__", with: id)
    let fallback = options.fallbackImage.map {
      #"<img id="\#(id)-static" alt="map preview (run the notebook or trust it for the interactive explorer)" style="width:100%;display:block" src="data:image/png;base64,\#(Data($0.data).base64EncodedString())">"#
    } ?? ""
    let atlasToggle = options.atlas == nil ? "" : #"<label><input type="checkbox" id="\#(id)-atlas" checked> atlas</label>"#
    return """
      <div class="vx-root" id="\(id)" data-vista-explorer="1">
      <style>\(ExplorerScript.css)</style>
      <div class="vx-bar"><span class="vx-title">\(HTMLEscaping.escape(options.title))</span>
      <input type="search" id="\(id)-search" placeholder="search captions…" aria-label="search captions">
      <button id="\(id)-mode-pan" class="vx-on" title="drag to pan">pan</button><button id="\(id)-mode-box" title="drag a box to select">box</button><button id="\(id)-mode-lasso" title="draw a lasso to select">lasso</button>
      <button id="\(id)-send" title="send the selection to the kernel">send selection</button><button id="\(id)-reset">reset</button>
      <label><input type="checkbox" id="\(id)-regions"\(options.atlas == nil ? " checked" : "")> regions</label><label><input type="checkbox" id="\(id)-points" checked> points</label><label><input type="checkbox" id="\(id)-labels" checked> labels</label>\(atlasToggle)
      </div>
      <div class="vx-main"><div class="vx-stage">\(fallback)<canvas id="\(id)-canvas"></canvas><div class="vx-tip" id="\(id)-tip"></div></div>
      <div class="vx-side"><h4 id="\(id)-listtitle">Captions</h4><ul class="vx-list" id="\(id)-list"></ul></div></div>
      <div class="vx-foot"><span id="\(id)-status"></span><input id="\(id)-ids" readonly placeholder="captions ids=… (selection as a kernel command)"><button id="\(id)-copy">copy</button></div>
      <script type="application/json" id="\(id)-data">\(json)</script>
      <script>\(script)</script>
      </div>
      """
  }

  /// A standalone HTML document (for `export explorer PATH`).
  public static func document(map: CaptionMap, options: ExplorerOptions = ExplorerOptions()) throws -> String {
    let body = try fragment(map: map, options: options)
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(HTMLEscaping.escape(options.title))</title></head>
      <body style="margin:16px;background:#efece5">
      \(body)
      </body></html>
      """
  }

  static func defaultId(_ map: CaptionMap) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for c in map.captions.prefix(64) { for b in c.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
    return "vx-" + String(h % 0xFFFF_FFFF, radix: 36) + "-" + String(counter.next())
  }

  struct Payload: Encodable {
    var id: String
    var n: Int
    var q: Int
    var aspect: Float
    var x: [Int]
    var y: [Int]
    var a: [Double]
    var cap: [String]
    var ids: [Int]?
    var cl: [Int]
    var range: [Float]
    var cmap: [String]
    var cat: [Int]?
    var catNames: [String]?
    var catColors: [String]?
    var regions: [Region]
    var links: [Link]
    var labels: [Label]
    var tiles: Tiles
    var atlas: Atlas?
    var kernelId: String?
    var meta: [String: String]

    struct Region: Encodable { var c: Int; var fill: String; var ink: String; var peak: [Int]; var levels: [[[Int]]] }
    struct Link: Encodable { var a: Int; var b: Int; var s: Float }
    struct Label: Encodable { var lv: Int; var lines: [String]; var x: Int; var y: Int; var ink: String; var p: Float }
    struct Tiles: Encodable { var cols: Int; var rows: Int; var rep: [Int]; var count: [Int] }
    struct Atlas: Encodable { var width: Int; var height: Int; var tileSize: Int; var maxLevel: Int; var base: String; var inline: [String: String] }
  }

  static func dataJSON(map: CaptionMap, options: ExplorerOptions, id: String) throws -> String {
    let q = 10_000
    func quant(_ v: Float) -> Int { Int((v * Float(q)).rounded()) }
    if let ids = options.pointIds, ids.count != map.count {
      throw VistaError("\(ids.count) ids for \(map.count) points", at: "option ids")
    }
    var style = MapStyle()
    style.coloring = .activation(options.colormap)
    var catIndex: [Int]?, catNames: [String]?, catColors: [String]?
    if let category = options.category {
      guard category.values.count == map.count else {
        throw VistaError("column has \(category.values.count) values for \(map.count) points", at: "column \(category.name)")
      }
      style.coloring = .category(name: category.name, values: category.values)
      let names = MapPainter(map: map, style: style).categories
      var index: [String: Int] = [:]
      for (k, c) in names.enumerated() { index[c] = k }
      catIndex = category.values.map { index[$0]! }
      catNames = names
      catColors = names.indices.map { Palette.category($0).css }
    }
    let painter = MapPainter(map: map, style: style)
    let (lo, hi) = painter.activationRange
    let regions = map.regions.map { r -> Payload.Region in
      let hue = painter.hues[r.cluster]
      // Keep the outer, middle and inner levels; thin rings to every other vertex to save bytes.
      let keep = r.contours.enumerated().filter { $0.offset % 2 == 0 || $0.offset == r.contours.count - 1 }.map(\.element)
      let levels = keep.map { rings in
        rings.map { ring in stride(from: 0, to: ring.count, by: ring.count > 40 ? 2 : 1).flatMap { [quant(ring[$0].x), quant(ring[$0].y)] } }
      }
      return Payload.Region(
        c: r.cluster, fill: RGBA.oklch(0.80, 0.095, hue).css, ink: style.regionInk(hue: hue).css,
        peak: [quant(r.peak.x), quant(r.peak.y)], levels: levels)
    }
    let labels = map.labels.map { l -> Payload.Label in
      let text = l.level == 0 ? l.text.uppercased() : l.text
      return Payload.Label(
        lv: l.level, lines: TextMetrics.wrapTerms(text, maxCharacters: l.level == 0 ? 20 : 22), x: quant(l.anchor.x), y: quant(l.anchor.y),
        ink: l.level == 0 ? style.regionInk(hue: painter.hues[l.cluster]).css : style.mutedInk.css, p: l.priority)
    }.sorted { $0.lv != $1.lv ? $0.lv < $1.lv : $0.p > $1.p }
    let atlas = options.atlas.map {
      Payload.Atlas(width: $0.manifest.width, height: $0.manifest.height, tileSize: $0.manifest.tileSize, maxLevel: $0.manifest.maxLevel, base: $0.basePath, inline: $0.inline)
    }
    var meta = options.provenance
    meta["map.grid"] = map.options.grid.description
    meta["map.min_tile_count"] = String(map.options.minimumTileCount)
    meta["map.seed"] = String(map.options.seed)
    meta["map.knn_graph"] = map.graphFromLatents ? "latent" : "map-2d"
    meta["map.resolution"] = "coarse \(map.options.coarseResolution), fine \(map.options.fineResolution)"
    let payload = Payload(
      id: id, n: map.count, q: q, aspect: map.layout.aspect,
      x: map.layout.positions.map { quant($0.x) }, y: map.layout.positions.map { quant($0.y) },
      a: map.activations.map { Double(String(format: "%.4g", Double($0)))! }, cap: map.captions, ids: options.pointIds,
      cl: map.clusters.coarse, range: [lo, hi], cmap: options.colormap.stops.map { RGBA(hex: $0).css },
      cat: catIndex, catNames: catNames, catColors: catColors, regions: regions,
      links: map.connections.map { Payload.Link(a: $0.from, b: $0.to, s: $0.strength) }, labels: labels,
      tiles: Payload.Tiles(cols: map.tiles.columns, rows: map.tiles.rows, rep: map.tiles.tiles.map { $0.representative ?? -1 }, count: map.tiles.tiles.map(\.count)),
      atlas: atlas, kernelId: options.kernelId, meta: meta)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    let data = try encoder.encode(payload)
    // Inside <script>, "<" must never appear raw ("</script>" in a caption would end the block).
    return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
  }
}

/// A thread-safe counter for unique default ids.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
