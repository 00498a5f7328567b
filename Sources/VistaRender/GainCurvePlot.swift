import Foundation
import VistaCore

/// A line plot of mutual-kNN gain against k (the `gain` command), with axes, ticks, labels and the
/// maximum marked; an optional second curve (e.g. another layout, or umap-learn's) for comparison.
public enum GainCurvePlot {
  /// One curve: x values (k as a fraction, e.g. 0.09 for 9 %) and y values (gain).
  public struct Curve: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public init(name: String, x: [Double], y: [Double]) { self.name = name; self.x = x; self.y = y }
  }

  /// Renders the plot.
  ///
  /// - Parameters:
  ///   - curves: one or two curves; the first is drawn strong and its maximum is marked.
  ///   - xLabel, yLabel, title: axis labels and title.
  ///   - xAsPercent: write x ticks as percentages.
  /// - Throws: `VistaError` when a curve is empty, its lengths differ or it holds non-finite values.
  public static func render(
    curves: [Curve], width: Int = 900, height: Int = 520, title: String = "mutual-kNN gain",
    xLabel: String = "k (% of points)", yLabel: String = "gain", xAsPercent: Bool = true
  ) throws -> PNGImage {
    guard !curves.isEmpty else { throw VistaError("nothing to plot", at: "gain curve") }
    for c in curves {
      guard !c.x.isEmpty, c.x.count == c.y.count else {
        throw VistaError("curve '\(c.name)' has \(c.x.count) x and \(c.y.count) y values", at: "gain curve")
      }
      guard (c.x + c.y).allSatisfy(\.isFinite) else { throw VistaError("curve '\(c.name)' has non-finite values", at: "gain curve") }
    }
    let canvas = try CairoCanvas(width: width, height: height, background: RGBA(hex: 0xFFFFFF))
    let ink = RGBA(hex: 0x23262D), muted = RGBA(hex: 0x5D6169), grid = RGBA(hex: 0xE6E3DC)
    let colours = [RGBA(hex: 0x2A788E), RGBA(hex: 0xD55E00), RGBA(hex: 0x7AD151)]
    let left = 74.0, right = 24.0, top = 52.0, bottom = 62.0
    let plot = SIMD4(left, top, Double(width) - left - right, Double(height) - top - bottom)
    let xs = curves.flatMap(\.x), ys = curves.flatMap(\.y)
    let (x0, x1, xStep) = niceRange(xs.min()!, xs.max()!)
    let (y0, y1, yStep) = niceRange(min(0, ys.min()!), max(ys.max()!, 0.01))
    func px(_ x: Double) -> Double { plot.x + (x - x0) / (x1 - x0) * plot.z }
    func py(_ y: Double) -> Double { plot.y + plot.w - (y - y0) / (y1 - y0) * plot.w }
    canvas.font(size: 12)
    var t = x0
    while t <= x1 + xStep / 2 {
      canvas.newPath(); canvas.moveTo(px(t), plot.y); canvas.lineTo(px(t), plot.y + plot.w); canvas.stroke(grid, width: 1)
      let label = xAsPercent ? MapPreview.formatTick(t * 100) + "%" : MapPreview.formatTick(t)
      canvas.text(label, x: px(t), y: plot.y + plot.w + 18, color: muted, align: .center)
      t += xStep
    }
    t = y0
    while t <= y1 + yStep / 2 {
      canvas.newPath(); canvas.moveTo(plot.x, py(t)); canvas.lineTo(plot.x + plot.z, py(t)); canvas.stroke(grid, width: 1)
      canvas.text(MapPreview.formatTick(t), x: plot.x - 8, y: py(t) + 4, color: muted, align: .right)
      t += yStep
    }
    if y0 < 0 {
      canvas.newPath(); canvas.moveTo(plot.x, py(0)); canvas.lineTo(plot.x + plot.z, py(0)); canvas.stroke(muted.withAlpha(0.6), width: 1, dash: [4, 3])
    }
    canvas.newPath(); canvas.moveTo(plot.x, plot.y); canvas.lineTo(plot.x, plot.y + plot.w); canvas.lineTo(plot.x + plot.z, plot.y + plot.w)
    canvas.stroke(ink, width: 1.2)
    for (k, c) in curves.enumerated().reversed() {
      let colour = colours[k % colours.count]
      canvas.newPath()
      for (i, (x, y)) in zip(c.x, c.y).enumerated() { i == 0 ? canvas.moveTo(px(x), py(y)) : canvas.lineTo(px(x), py(y)) }
      canvas.stroke(colour, width: k == 0 ? 2.6 : 1.8, dash: k == 0 ? [] : [6, 4])
      canvas.newPath()
      for (x, y) in zip(c.x, c.y) { canvas.circle(px(x), py(y), k == 0 ? 3 : 2.2) }
      canvas.fill(colour)
    }
    // The first curve's maximum.
    let c = curves[0]
    let best = c.y.indices.max { c.y[$0] < c.y[$1] }!
    let bx = px(c.x[best]), by = py(c.y[best])
    canvas.newPath(); canvas.moveTo(bx, by); canvas.lineTo(bx, plot.y + plot.w); canvas.stroke(colours[0].withAlpha(0.5), width: 1, dash: [3, 3])
    canvas.newPath(); canvas.circle(bx, by, 6.5); canvas.fill(RGBA(hex: 0xFFFFFF))
    canvas.newPath(); canvas.circle(bx, by, 6.5); canvas.stroke(RGBA(hex: 0xD1495B), width: 2.4)
    let kText = xAsPercent ? MapPreview.formatTick(c.x[best] * 100) + "%" : MapPreview.formatTick(c.x[best])
    canvas.font(size: 13, bold: true)
    let note = "max \(String(format: "%.3f", c.y[best])) at k = \(kText)"
    let noteRight = bx + 10 + canvas.textWidth(note) < plot.x + plot.z
    canvas.text(note, x: noteRight ? bx + 10 : bx - 10, y: max(plot.y + 14, by - 10), color: RGBA(hex: 0xD1495B), align: noteRight ? .left : .right, halo: RGBA(hex: 0xFFFFFF), haloWidth: 4)
    canvas.font(size: 17, bold: true)
    canvas.text(title, x: plot.x, y: 30, color: ink)
    canvas.font(size: 13)
    canvas.text(xLabel, x: plot.x + plot.z / 2, y: Double(height) - 18, color: ink, align: .center)
    canvas.save(); canvas.translate(20, plot.y + plot.w / 2); rotateQuarter(canvas)
    canvas.text(yLabel, x: 0, y: 0, color: ink, align: .center)
    canvas.restore()
    // Legend when there are several curves.
    if curves.count > 1 {
      canvas.font(size: 12)
      var ly = plot.y + 14
      let lx = plot.x + plot.z - 170
      for (k, cv) in curves.enumerated() {
        canvas.newPath(); canvas.moveTo(lx, ly - 4); canvas.lineTo(lx + 24, ly - 4)
        canvas.stroke(colours[k % colours.count], width: k == 0 ? 2.6 : 1.8, dash: k == 0 ? [] : [6, 4])
        canvas.text(cv.name, x: lx + 30, y: ly, color: ink)
        ly += 18
      }
    }
    return try canvas.png()
  }

  static func rotateQuarter(_ canvas: CairoCanvas) { canvas.rotate(-Double.pi / 2) }

  /// A range covering [lo, hi] with 4-8 round ticks.
  static func niceRange(_ lo: Double, _ hi: Double) -> (Double, Double, Double) {
    let span = max(hi - lo, 1e-9)
    let raw = span / 5
    let mag = pow(10, floor(log10(raw)))
    let step = [1, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    return (floor(lo / step) * step, ceil(hi / step) * step, step)
  }
}
