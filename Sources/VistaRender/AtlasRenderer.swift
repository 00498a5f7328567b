import Foundation
import VistaCore
import VistaMap

/// The manifest of a tiled image pyramid (`manifest.json` next to the `z/x_y.png` tiles).
///
/// Level `maxLevel` is the full resolution; each level below halves both sides; level 0 fits in one
/// tile. Tile (x, y) of level z covers level pixels [x*tileSize, (x+1)*tileSize) x [y*tileSize, ...);
/// edge tiles are smaller. This is the DeepZoom/XYZ layout without the tiny levels below one tile.
public struct AtlasManifest: Sendable, Codable, Equatable {
  public var format = "vista.atlas"
  public var version = 1
  public var width: Int
  public var height: Int
  public var tileSize: Int
  public var maxLevel: Int
  public var levels: [Level]
  public var pathTemplate = "{z}/{x}_{y}.png"
  public var gridColumns: Int
  public var gridRows: Int
  public var background: String

  public struct Level: Sendable, Codable, Equatable {
    public var level: Int
    public var width: Int
    public var height: Int
    public var columns: Int
    public var rows: Int
    /// Level pixels per full-resolution pixel.
    public var scale: Double
  }

  public var tileCount: Int { levels.reduce(0) { $0 + $1.columns * $1.rows } }

  /// The pyramid geometry for a full-resolution size.
  public init(width: Int, height: Int, tileSize: Int, gridColumns: Int, gridRows: Int, background: String) {
    self.width = width
    self.height = height
    self.tileSize = tileSize
    self.gridColumns = gridColumns
    self.gridRows = gridRows
    self.background = background
    var z = 0
    while Double(max(width, height)) / pow(2, Double(z)) > Double(tileSize) { z += 1 }
    maxLevel = z
    levels = (0...z).map { level in
      let s = pow(2, Double(level - z))
      let w = max(1, Int((Double(width) * s).rounded(.up))), h = max(1, Int((Double(height) * s).rounded(.up)))
      return Level(level: level, width: w, height: h, columns: (w + tileSize - 1) / tileSize, rows: (h + tileSize - 1) / tileSize, scale: s)
    }
  }
}

/// Options of the atlas panorama.
public struct AtlasOptions: Sendable {
  /// Full-resolution width in pixels (height follows the map's aspect); 16,384 = the paper's 16k.
  public var width = 16_384
  public var tileSize = 256
  public var style = MapStyle()
  public init() {}
}

/// `render atlas`: the panorama without a diffusion model. Every non-empty map tile becomes a card with
/// its representative caption set in type coloured by its region, over the regions, connections and
/// points; written as an image pyramid. Each pyramid tile is rendered on its own small surface with the
/// scene clipped and transformed onto it, so no full-size surface is ever allocated.
public struct AtlasRenderer {
  public let map: CaptionMap
  public let options: AtlasOptions
  public let manifest: AtlasManifest
  let painter: MapPainter
  let cards: [Card]
  /// The full-resolution picture's rectangle (0, 0, width, height), which every drawing maps onto.
  let full: SIMD4<Double>
  /// Every point's colour, computed once (it sorts all activations) rather than per tile.
  let pointColors: [RGBA]
  /// The full-resolution bounding box of every region ring, by region, level and ring, for culling.
  let ringBounds: [[[SIMD4<Double>]]]

  /// A map tile's card, laid out once in full-resolution pixels.
  struct Card {
    var rect: SIMD4<Double>
    var lines: [String]
    var fontSize: Double
    var ink: RGBA
    var tint: RGBA
    var footer: String
  }

  public init(map: CaptionMap, options: AtlasOptions = AtlasOptions()) throws {
    guard options.tileSize >= 16, options.tileSize <= 4096 else {
      throw VistaError("tile size must be in 16...4096, got \(options.tileSize)", at: "option tile")
    }
    guard options.width >= options.tileSize, options.width <= 1 << 20 else {
      throw VistaError("atlas width must be in \(options.tileSize)...1048576, got \(options.width)", at: "option width")
    }
    self.map = map
    self.options = options
    let fullHeight = max(1, Int((Double(options.width) / Double(map.layout.aspect)).rounded()))
    let full = SIMD4<Double>(0, 0, Double(options.width), Double(fullHeight))
    self.full = full
    manifest = AtlasManifest(
      width: options.width, height: fullHeight, tileSize: options.tileSize, gridColumns: map.tiles.columns,
      gridRows: map.tiles.rows, background: options.style.paper.css)
    var style = options.style
    style.pointRadius = style.pointRadius ?? Double(options.width) / 4000
    painter = MapPainter(map: map, style: style)
    pointColors = painter.pointColors()
    ringBounds = map.regions.map { region in region.contours.map { rings in rings.map { Self.bounds($0, full) } } }
    let tw = Double(options.width) / Double(map.tiles.columns), th = Double(fullHeight) / Double(map.tiles.rows)
    var cards: [Card] = []
    for tile in map.tiles.tiles where !tile.isEmpty {
      let inset = 0.06 * min(tw, th)
      let rect = SIMD4(Double(tile.column) * tw + inset, Double(tile.row) * th + inset, tw - 2 * inset, th - 2 * inset)
      let caption = map.captions[tile.representative!]
      let (lines, size) = Self.fit(caption, width: rect.z * 0.88, height: rect.w * 0.72)
      let hue = tile.dominantCluster >= 0 && tile.dominantCluster < painter.hues.count ? painter.hues[tile.dominantCluster] : 60
      let ink = tile.dominantCluster >= 0 ? style.regionInk(hue: hue) : style.ink
      let tint = tile.dominantCluster >= 0 ? RGBA.oklch(style.dark ? 0.3 : 0.95, 0.03, hue, alpha: 0.82) : style.paper.withAlpha(0.8)
      cards.append(Card(rect: rect, lines: lines, fontSize: size, ink: ink, tint: tint, footer: "\(tile.count) captions · mean \(MapPreview.formatTick(Double(tile.meanActivation)))"))
    }
    self.cards = cards
  }

  /// The largest font size (pixels) at which `text` wraps into the box.
  static func fit(_ text: String, width: Double, height: Double) -> ([String], Double) {
    var size = height / 3
    while size > 4 {
      let lines = wrap(text, width: width, size: size)
      if Double(lines.count) * size * Double(TextMetrics.lineHeight) <= height, lines.allSatisfy({ Double(TextMetrics.width($0, size: Float(size))) <= width }) {
        return (lines, size)
      }
      size *= 0.92
    }
    return (wrap(text, width: width, size: 4), 4)
  }

  /// Greedy word wrap by pixel width.
  static func wrap(_ text: String, width: Double, size: Double) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if line.isEmpty || Double(TextMetrics.width(candidate, size: Float(size))) <= width { line = candidate } else {
        lines.append(line); line = String(word)
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// Renders one pyramid tile.
  ///
  /// - Throws: `VistaError` for a tile outside the pyramid.
  public func renderTile(level z: Int, x: Int, y: Int) throws -> PNGImage {
    guard let level = manifest.levels.first(where: { $0.level == z }), x >= 0, y >= 0, x < level.columns, y < level.rows else {
      throw VistaError("no tile \(z)/\(x)_\(y) in this pyramid", at: "atlas tile")
    }
    let ts = manifest.tileSize
    let w = min(ts, level.width - x * ts), h = min(ts, level.height - y * ts)
    let canvas = try CairoCanvas(width: w, height: h, background: painter.style.paper)
    let s = level.scale
    // The tile's window onto the full-resolution scene.
    let view = SIMD4(Double(x * ts) / s, Double(y * ts) / s, Double(w) / s, Double(h) / s)
    canvas.save()
    canvas.scale(s, s)
    canvas.translate(-view.x, -view.y)
    drawScene(on: canvas, view: view, scale: s)
    canvas.restore()
    return try canvas.png()
  }

  func drawScene(on canvas: CairoCanvas, view: SIMD4<Double>, scale s: Double) {
    let style = painter.style
    func visible(_ r: SIMD4<Double>) -> Bool { r.x < view.x + view.z && view.x < r.x + r.z && r.y < view.y + view.w && view.y < r.y + r.w }
    // Regions, culled by the bounding box of each ring.
    for (regionIndex, region) in map.regions.enumerated() {
      let hue = painter.hues[region.cluster]
      for (level, rings) in region.contours.enumerated() {
        let bounds = ringBounds[regionIndex][level]
        let shown = rings.indices.filter { visible(bounds[$0]) }.map { rings[$0] }
        if shown.isEmpty { continue }
        canvas.newPath()
        for ring in shown { canvas.polygon(ring.map { painter.px($0, full) }) }
        canvas.fill(style.regionFill(hue: hue, level: level, levels: region.contours.count), evenOdd: true)
      }
    }
    painter.drawConnections(on: canvas, rect: full, widthScale: 1)
    // Points, culled.
    let r = style.pointRadius ?? 4
    let margin = SIMD4(view.x - r, view.y - r, view.z + 2 * r, view.w + 2 * r)
    let colors = pointColors
    for i in map.layout.positions.indices {
      let p = painter.px(map.layout.positions[i], full)
      guard p.x >= margin.x, p.y >= margin.y, p.x <= margin.x + margin.z, p.y <= margin.y + margin.w else { continue }
      canvas.newPath()
      canvas.circle(p.x, p.y, r)
      canvas.fill(colors[i].withAlpha(0.75))
    }
    // Caption cards.
    for card in cards where visible(card.rect) {
      canvas.newPath()
      canvas.roundedRect(card.rect.x, card.rect.y, card.rect.z, card.rect.w, radius: card.rect.z * 0.06)
      canvas.fillPreserve(card.tint)
      canvas.stroke(card.ink.withAlpha(0.35), width: max(1, card.rect.z * 0.008))
      let lineHeight = card.fontSize * Double(TextMetrics.lineHeight)
      let blockTop = card.rect.y + card.rect.w * 0.42 - lineHeight * Double(card.lines.count) / 2
      let left = card.rect.x + card.rect.z * 0.06
      if card.fontSize * s >= 2.5 {
        canvas.font(size: card.fontSize)
        for (k, line) in card.lines.enumerated() {
          canvas.text(line, x: left, y: blockTop + lineHeight * Double(k) + card.fontSize * 0.93, color: card.ink)
        }
        let small = card.fontSize * 0.55
        if small * s >= 2.5 {
          canvas.font(size: small)
          canvas.text(card.footer, x: left, y: card.rect.y + card.rect.w * 0.93, color: style.mutedInk)
        }
      } else {
        // Greeking: grey bars where the lines would be, so the far view keeps the text's shape.
        for (k, line) in card.lines.enumerated() {
          let w = Double(TextMetrics.width(line, size: Float(card.fontSize)))
          canvas.fillRect(left, blockTop + lineHeight * (Double(k) + 0.25), w, lineHeight * 0.5, card.ink.withAlpha(0.35))
        }
      }
    }
  }

  static func bounds(_ ring: ContourTracer.Ring, _ rect: SIMD4<Double>) -> SIMD4<Double> {
    var lo = SIMD2<Float>(1, 1), hi = SIMD2<Float>(0, 0)
    for p in ring { lo = SIMD2(min(lo.x, p.x), min(lo.y, p.y)); hi = SIMD2(max(hi.x, p.x), max(hi.y, p.y)) }
    return SIMD4(Double(lo.x) * rect.z, Double(lo.y) * rect.w, Double(hi.x - lo.x) * rect.z, Double(hi.y - lo.y) * rect.w)
  }

  /// Writes every tile as `<directory>/<z>/<x>_<y>.png` plus `manifest.json`, coarse levels first.
  ///
  /// Tiles of a level are rendered on `threads` threads (each on its own surface); the files do not
  /// depend on the thread count.
  /// - Parameter progress: reports tiles done; cancelling stops between tiles (tiles written so far
  ///   stay, the manifest is not written).
  /// - Throws: `VistaError` on a file error, `CancellationError` when cancelled.
  @discardableResult
  public func write(to directory: URL, threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: VistaCore.Progress = .none) throws -> AtlasManifest {
    let fm = FileManager.default
    do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
      throw VistaError("cannot create the atlas folder: \(error.localizedDescription)", at: directory.path)
    }
    let total = manifest.tileCount
    let state = WriteState()
    for level in manifest.levels {
      let folder = directory.appendingPathComponent(String(level.level))
      try? fm.createDirectory(at: folder, withIntermediateDirectories: true)
      let count = level.columns * level.rows
      let workers = max(1, min(threads, count))
      // Worker w takes tiles w, w + workers, ...: interleaved so neighbouring (similar-cost) tiles spread out.
      parallelFor(workers, threads: workers) { w in
        for index in stride(from: w, to: count, by: workers) {
          if state.failed || progress.isCancelled { return }
          let x = index % level.columns, y = index / level.columns
          let url = folder.appendingPathComponent("\(x)_\(y).png")
          do {
            let png = try renderTile(level: level.level, x: x, y: y)
            do { try Data(png.data).write(to: url) } catch {
              throw VistaError("cannot write a tile: \(error.localizedDescription)", at: url.path)
            }
          } catch {
            state.fail(error)
            return
          }
          let done = state.tileDone()
          progress.update("atlas: level \(level.level) of \(manifest.maxLevel)", Double(done) / Double(total))
        }
      }
      if let error = state.error { throw error }
      try progress.checkCancelled()
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let url = directory.appendingPathComponent("manifest.json")
    do { try encoder.encode(manifest).write(to: url) } catch {
      throw VistaError("cannot write the manifest: \(error.localizedDescription)", at: url.path)
    }
    return manifest
  }
}

/// Shared counters of a parallel atlas write.
final class WriteState: @unchecked Sendable {
  private let lock = NSLock()
  private var done = 0
  private(set) var error: Error?
  var failed: Bool { lock.lock(); defer { lock.unlock() }; return error != nil }
  func tileDone() -> Int { lock.lock(); defer { lock.unlock() }; done += 1; return done }
  func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}
