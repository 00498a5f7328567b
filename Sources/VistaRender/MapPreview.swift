import Foundation
import VistaCore
import VistaMap

/// The map as a PNG: regions, connections, points, labels, optional tile grid, title and colour bar
/// or legend. This is the `preview` command's output.
public enum MapPreview {
  /// Renders the map at `width` pixels (height follows the map's aspect).
  ///
  /// - Throws: `VistaError` for a bad size or a category column of the wrong length.
  /// - Complexity: O(points + contour vertices + labels^2); about 50 ms for 4,000 points at 1600 px.
  public static func render(_ map: CaptionMap, width: Int = 1600, style: MapStyle = MapStyle()) throws -> PNGImage {
    if case .category(let name, let values) = style.coloring, values.count != map.count {
      throw VistaError("column has \(values.count) values for \(map.count) points", at: "column \(name)")
    }
    if case .continuous(let name, let values, _) = style.coloring, values.count != map.count {
      throw VistaError("column has \(values.count) values for \(map.count) points", at: "column \(name)")
    }
    let height = max(1, Int((Double(width) / Double(map.layout.aspect)).rounded()))
    let canvas = try CairoCanvas(width: width, height: height, background: style.paper)
    let rect = SIMD4<Double>(0, 0, Double(width), Double(height))
    let painter = MapPainter(map: map, style: style)
    var legendStyle = style
    legendStyle.labels = false
    _ = MapPainter(map: map, style: legendStyle).draw(on: canvas, rect: rect)
    let chrome = drawChrome(painter, on: canvas, rect: rect)
    if style.labels { painter.drawLabels(on: canvas, rect: rect, obstacles: chrome) }
    return try canvas.png()
  }

  /// Title, subtitle and colour bar or legend; returns their boxes so labels avoid them.
  @discardableResult
  static func drawChrome(_ painter: MapPainter, on canvas: CairoCanvas, rect: SIMD4<Double>) -> [SIMD4<Float>] {
    let style = painter.style
    let unit = rect.w / 900
    var boxes: [SIMD4<Float>] = []
    if let title = style.title {
      canvas.font(size: 22 * unit, bold: true)
      canvas.text(title, x: rect.x + 18 * unit, y: rect.y + 34 * unit, color: style.ink, halo: style.halo, haloWidth: 5 * unit)
      let w = canvas.textWidth(title)
      var h = 44 * unit
      if let sub = style.subtitle {
        canvas.font(size: 13 * unit)
        canvas.text(sub, x: rect.x + 18 * unit, y: rect.y + 56 * unit, color: style.mutedInk, halo: style.halo, haloWidth: 4 * unit)
        h = 64 * unit
      }
      boxes.append(SIMD4(Float(rect.x), Float(rect.y), Float(max(w, 300 * unit) + 30 * unit), Float(h)))
    }
    guard style.legend else { return boxes }
    switch style.coloring {
    case .activation, .continuous:
      let cmap: Colormap
      let barName: String
      if case .continuous(let name, _, let c) = style.coloring { cmap = c; barName = name } else if case .activation(let c) = style.coloring { cmap = c; barName = "activation" } else { return boxes }
      let (lo, hi) = painter.activationRange
      let barW = 220 * unit, barH = 11 * unit
      let x = rect.x + rect.z - barW - 26 * unit, y = rect.y + rect.w - 44 * unit
      canvas.fillRect(x - 12 * unit, y - 26 * unit, barW + 24 * unit, barH + 52 * unit, style.paper.withAlpha(0.85))
      let steps = 64
      for k in 0..<steps {
        canvas.fillRect(x + barW * Double(k) / Double(steps), y, barW / Double(steps) + 0.5, barH, cmap.color(Double(k) / Double(steps - 1)))
      }
      canvas.strokeRect(x, y, barW, barH, style.ink.withAlpha(0.4), width: 0.6)
      canvas.font(size: 11 * unit)
      canvas.text(barName, x: x, y: y - 8 * unit, color: style.mutedInk)
      for k in 0...4 {
        let v = lo + (hi - lo) * Float(k) / 4
        let tx = x + barW * Double(k) / 4
        canvas.newPath(); canvas.moveTo(tx, y + barH); canvas.lineTo(tx, y + barH + 4 * unit)
        canvas.stroke(style.ink.withAlpha(0.5), width: 0.8)
        canvas.text(formatTick(Double(v)), x: tx, y: y + barH + 16 * unit, color: style.mutedInk, align: .center)
      }
      boxes.append(SIMD4(Float(x - 12 * unit), Float(y - 26 * unit), Float(barW + 24 * unit), Float(barH + 52 * unit)))
    case .category(let name, _):
      let cats = Array(painter.categories.prefix(12))
      let line = 17 * unit
      canvas.font(size: 12 * unit)
      let w = (cats.map { canvas.textWidth($0) }.max() ?? 40) + 40 * unit
      let h = line * Double(cats.count + 1) + 12 * unit
      let x = rect.x + rect.z - w - 18 * unit, y = rect.y + rect.w - h - 18 * unit
      canvas.fillRect(x, y, w, h, style.paper.withAlpha(0.88))
      canvas.font(size: 12 * unit, bold: true)
      canvas.text(name, x: x + 10 * unit, y: y + line, color: style.ink)
      canvas.font(size: 12 * unit)
      for (k, c) in cats.enumerated() {
        let cy = y + line * Double(k + 2) - 4 * unit
        canvas.newPath(); canvas.circle(x + 16 * unit, cy - 4 * unit, 5 * unit); canvas.fill(Palette.category(k))
        canvas.text(c, x: x + 28 * unit, y: cy, color: style.ink)
      }
      boxes.append(SIMD4(Float(x), Float(y), Float(w), Float(h)))
    }
    return boxes
  }

  /// A short tick label: 3 significant digits, no trailing zeros.
  static func formatTick(_ v: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1000 || a < 0.01 { return String(format: "%.2g", v) }
    var s = String(format: a >= 100 ? "%.0f" : (a >= 10 ? "%.1f" : "%.2f"), v)
    if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
    return s
  }
}

/// A bare scatter of a layout coloured by activation (the `layout` command's preview): no map needed.
public enum ScatterPreview {
  /// Renders raw layout positions (y up) coloured by `values`.
  ///
  /// - Throws: `VistaError` when lengths differ or the layout is empty.
  public static func render(
    positions: [SIMD2<Float>], values: [Float], width: Int = 900, aspect: Float = 16.0 / 9.0,
    colormap: Colormap = .viridis, title: String? = nil, subtitle: String? = nil
  ) throws -> PNGImage {
    guard positions.count == values.count else {
      throw VistaError("\(values.count) values for \(positions.count) points", at: "values")
    }
    let layout = try NormalizedLayout(raw: positions, aspect: aspect, clipPercentiles: (0, 100), margin: 0.04)
    let map = CaptionMap.pointsOnly(layout: layout, activations: values)
    var style = MapStyle()
    style.coloring = .activation(colormap)
    style.regions = false
    style.connections = false
    style.labels = false
    style.title = title
    style.subtitle = subtitle
    return try MapPreview.render(map, width: width, style: style)
  }
}
