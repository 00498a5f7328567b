import Foundation
import VistaMap

/// Draws a `CaptionMap`'s layers into a rectangle of a canvas: regions, connections, tile grid,
/// points and labels. Shared by the preview, the contact sheet, the plan preview and the atlas.
public struct MapPainter {
  public let map: CaptionMap
  public let style: MapStyle
  /// Region hues (degrees), spatially coherent.
  public let hues: [Double]

  public init(map: CaptionMap, style: MapStyle) {
    self.map = map
    self.style = style
    self.hues = Palette.regionHues(map)
  }

  /// Canvas units -> pixels in `rect` (x, y, w, h).
  @inline(__always) func px(_ p: SIMD2<Float>, _ rect: SIMD4<Double>) -> SIMD2<Double> {
    SIMD2(rect.x + Double(p.x) * rect.z, rect.y + Double(p.y) * rect.w)
  }

  /// Draws all enabled layers; returns the labels it placed.
  @discardableResult
  public func draw(on canvas: CairoCanvas, rect: SIMD4<Double>, labelScale: Double = 1) -> [PlacedLabel] {
    if style.regions { drawRegions(on: canvas, rect: rect) }
    if style.tileGrid { drawTileGrid(on: canvas, rect: rect) }
    if style.connections { drawConnections(on: canvas, rect: rect, widthScale: labelScale) }
    if style.points { drawPoints(on: canvas, rect: rect) }
    return style.labels ? drawLabels(on: canvas, rect: rect, scale: labelScale) : []
  }

  public func drawRegions(on canvas: CairoCanvas, rect: SIMD4<Double>) {
    for region in map.regions {
      let hue = hues[region.cluster]
      for (level, rings) in region.contours.enumerated() where !rings.isEmpty {
        canvas.newPath()
        for ring in rings { canvas.polygon(ring.map { px($0, rect) }) }
        canvas.fill(style.regionFill(hue: hue, level: level, levels: region.contours.count), evenOdd: true)
      }
      if let outer = region.contours.first, !outer.isEmpty {
        canvas.newPath()
        for ring in outer { canvas.polygon(ring.map { px($0, rect) }) }
        canvas.stroke(style.regionInk(hue: hue).withAlpha(0.35), width: max(0.6, rect.w / 900))
      }
    }
  }

  /// Curved links between region peaks, width by strength (thickest = strongest link).
  public func drawConnections(on canvas: CairoCanvas, rect: SIMD4<Double>, widthScale: Double = 1) {
    let top = Double(map.connections.map(\.strength).max() ?? 1)
    for link in map.connections.reversed() {
      let a = px(map.regions[link.from].peak, rect), b = px(map.regions[link.to].peak, rect)
      let d = b - a
      let length = (d * d).sum().squareRoot()
      guard length > 1 else { continue }
      // Bow each curve to one side by 12% of its length so overlapping straight links separate.
      let normal = SIMD2(-d.y, d.x) / length * length * 0.12
      let c1 = a + d / 3 + normal, c2 = a + d * 2 / 3 + normal
      let t = Double(link.strength) / max(top, 1e-9)
      let width = (0.8 + 5.5 * t) * max(1, rect.w / 1600) * widthScale
      let colour = style.regionInk(hue: hues[link.from]).mixed(with: style.regionInk(hue: hues[link.to]), 0.5)
      canvas.newPath()
      canvas.moveTo(a.x, a.y)
      canvas.curveTo(c1.x, c1.y, c2.x, c2.y, b.x, b.y)
      canvas.stroke(style.paper.withAlpha(0.7), width: width + 2.5 * widthScale)
      canvas.newPath()
      canvas.moveTo(a.x, a.y)
      canvas.curveTo(c1.x, c1.y, c2.x, c2.y, b.x, b.y)
      canvas.stroke(colour.withAlpha(0.28 + 0.4 * t), width: width)
    }
  }

  public func drawTileGrid(on canvas: CairoCanvas, rect: SIMD4<Double>) {
    let g = map.tiles
    let tw = rect.z / Double(g.columns), th = rect.w / Double(g.rows)
    for tile in g.tiles where !tile.isEmpty {
      canvas.fillRect(rect.x + Double(tile.column) * tw, rect.y + Double(tile.row) * th, tw, th, style.ink.withAlpha(0.035))
    }
    canvas.newPath()
    for c in 0...g.columns { canvas.moveTo(rect.x + Double(c) * tw, rect.y); canvas.lineTo(rect.x + Double(c) * tw, rect.y + rect.w) }
    for r in 0...g.rows { canvas.moveTo(rect.x, rect.y + Double(r) * th); canvas.lineTo(rect.x + rect.z, rect.y + Double(r) * th) }
    canvas.stroke(style.ink.withAlpha(0.12), width: 0.7)
  }

  /// The colour of each point under the style's colouring, and the activation range used.
  public func pointColors() -> [RGBA] {
    switch style.coloring {
    case .activation(let cmap):
      let (lo, hi) = activationRange
      return map.activations.map { cmap.color(Double(($0 - lo) / max(hi - lo, 1e-12))) }
    case .continuous(_, let values, let cmap):
      let (lo, hi) = Self.robustRange(values)
      return values.map { cmap.color(Double(($0 - lo) / max(hi - lo, 1e-12))) }
    case .category(_, let values):
      let cats = categories
      var index: [String: Int] = [:]
      for (k, c) in cats.enumerated() { index[c] = k }
      return values.map { Palette.category(index[$0] ?? 0) }
    }
  }

  /// Range of the colour scale (activation or the continuous column): 1st to 99th percentile, so one
  /// extreme does not wash out the rest.
  public var activationRange: (Float, Float) {
    if case .continuous(_, let values, _) = style.coloring { return Self.robustRange(values) }
    return Self.robustRange(map.activations)
  }

  static func robustRange(_ values: [Float]) -> (Float, Float) {
    let s = values.filter(\.isFinite).sorted()
    guard let first = s.first else { return (0, 1) }
    let lo = s[Int(Double(s.count - 1) * 0.01)], hi = s[Int(Double(s.count - 1) * 0.99)]
    return hi > lo ? (lo, hi) : (first, first + 1)
  }

  /// Categories by frequency (most common first).
  public var categories: [String] {
    guard case .category(_, let values) = style.coloring else { return [] }
    var counts: [String: Int] = [:]
    for v in values { counts[v, default: 0] += 1 }
    return counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }
  }

  public func pointRadius(for rect: SIMD4<Double>) -> Double {
    if let r = style.pointRadius { return r }
    // Area-based: points cover about 6% of the drawing at 4,000 points, clamped to stay visible.
    let area = rect.z * rect.w * 0.06 / Double(max(1, map.count))
    return min(4.5, max(0.9, (area / Double.pi).squareRoot()))
  }

  /// Points, low activations first so high ones stay on top; same-coloured points share one fill.
  public func drawPoints(on canvas: CairoCanvas, rect: SIMD4<Double>) {
    let colors = pointColors()
    let r = pointRadius(for: rect)
    let order: [Int]
    switch style.coloring {
    case .activation: order = map.activations.indices.sorted { map.activations[$0] < map.activations[$1] }
    case .continuous(_, let values, _): order = values.indices.sorted { values[$0] < values[$1] }
    case .category: order = Array(map.activations.indices)
    }
    // Quantise colours into 64 activation bins (imperceptible) so each bin is one cairo fill.
    var runs: [(RGBA, [SIMD2<Double>])] = []
    for i in order {
      let c = colors[i]
      let p = px(map.layout.positions[i], rect)
      if let last = runs.last, abs(last.0.r - c.r) + abs(last.0.g - c.g) + abs(last.0.b - c.b) < 0.02 {
        runs[runs.count - 1].1.append(p)
      } else {
        runs.append((c, [p]))
      }
    }
    for (c, centres) in runs {
      canvas.newPath()
      canvas.discs(centres, radius: r + 0.6, color: style.paper.withAlpha(0.55))
      canvas.newPath()
      canvas.discs(centres, radius: r, color: c.withAlpha(0.9))
    }
  }

  /// Places and draws labels: coarse in bold capitals in the region's ink, fine in grey; both with halos.
  @discardableResult
  public func drawLabels(on canvas: CairoCanvas, rect: SIMD4<Double>, scale: Double = 1, obstacles: [SIMD4<Float>] = []) -> [PlacedLabel] {
    let labels = style.fineLabels ? map.labels : map.labels.filter { $0.level == 0 }
    let s = Float(rect.w / 900 * scale)
    var placed = LabelPlacer.place(labels, width: Float(rect.z), height: Float(rect.w), scale: s, obstacles: obstacles.map { SIMD4($0.x - Float(rect.x), $0.y - Float(rect.y), $0.z, $0.w) })
    for k in placed.indices {
      placed[k].center += SIMD2(Float(rect.x), Float(rect.y))
      placed[k].box.x += Float(rect.x); placed[k].box.y += Float(rect.y)
    }
    for p in placed.sorted(by: { $0.label.level > $1.label.level }) {
      let colour = p.label.level == 0 ? style.regionInk(hue: hues[p.label.cluster]) : style.mutedInk
      canvas.textBlock(
        p.lines, center: SIMD2(Double(p.center.x), Double(p.center.y)), size: Double(p.fontSize), bold: p.bold,
        color: colour, halo: style.halo, haloWidth: Double(p.fontSize) * (p.bold ? 0.28 : 0.32))
    }
    return placed
  }
}
