import Foundation
import VistaCore
import VistaMap

/// `render plan preview step=N`: the windows of a render plan over a faint map, each showing the
/// caption it is conditioned on at that step, coloured by the window's region.
public enum PlanPreview {
  /// Renders the preview.
  ///
  /// - Throws: `VistaError` when the step is outside the plan or the plan does not match the map.
  public static func render(plan: RenderPlan, map: CaptionMap, step: Int, width: Int = 1600) throws -> PNGImage {
    guard step >= 0, step < plan.schedule.count else {
      throw VistaError("step \(step) is outside 0..<\(plan.schedule.count)", at: "option step")
    }
    guard plan.windowing.gridColumns == map.tiles.columns, plan.windowing.gridRows == map.tiles.rows else {
      throw VistaError("the plan's grid \(plan.windowing.gridColumns)x\(plan.windowing.gridRows) is not the map's \(map.tiles.columns)x\(map.tiles.rows)", at: "plan")
    }
    var style = MapStyle()
    style.labels = false
    style.connections = false
    style.tileGrid = true
    let height = Int((Double(width) * Double(plan.canvas.latentHeight) / Double(plan.canvas.latentWidth)).rounded())
    let canvas = try CairoCanvas(width: width, height: height, background: style.paper)
    let rect = SIMD4(0, 0, Double(width), Double(height))
    let painter = MapPainter(map: map, style: style)
    painter.drawRegions(on: canvas, rect: rect)
    painter.drawTileGrid(on: canvas, rect: rect)
    canvas.fillRect(0, 0, Double(width), Double(height), style.paper.withAlpha(0.35))
    let sx = Double(width) / Double(plan.canvas.latentWidth), sy = Double(height) / Double(plan.canvas.latentHeight)
    let captionOf = Dictionary(uniqueKeysWithValues: plan.captions.map { ($0.id, $0.text) })
    // Only windows on the stride's even lattice carry text, so the overlapping windows stay legible;
    // all windows are outlined.
    for (w, window) in plan.windows.enumerated() {
      let r = SIMD4(Double(window.x0) * sx, Double(window.y0) * sy, Double(window.w) * sx, Double(window.h) * sy)
      let hue = window.cluster >= 0 && window.cluster < painter.hues.count ? painter.hues[window.cluster] : 60
      let ink = window.cluster >= 0 ? style.regionInk(hue: hue) : style.mutedInk
      canvas.strokeRect(r.x + 1, r.y + 1, r.z - 2, r.w - 2, ink.withAlpha(0.25), width: 1)
      let lattice = plan.windowing.size / max(1, plan.windowing.stride)
      let ix = window.x0 / max(1, plan.windowing.stride), iy = window.y0 / max(1, plan.windowing.stride)
      guard ix % max(1, lattice) == 0, iy % max(1, lattice) == 0 else { continue }
      let id = plan.schedule[step][w]
      let text = id < 0 ? "(background)" : (captionOf[id] ?? "?")
      let (lines, size) = AtlasRenderer.fit(text, width: r.z * 0.86, height: r.w * 0.7)
      let capped = min(size, r.w / 6)
      let lines2 = capped < size ? AtlasRenderer.wrap(text, width: r.z * 0.86, size: capped) : lines
      canvas.fillRect(r.x + 3, r.y + 3, r.z - 6, r.w - 6, (window.cluster >= 0 ? RGBA.oklch(0.96, 0.03, hue) : style.paper).withAlpha(0.72))
      canvas.font(size: capped)
      let lh = capped * Double(TextMetrics.lineHeight)
      let top = r.y + r.w / 2 - lh * Double(lines2.count) / 2
      for (k, line) in lines2.enumerated() {
        canvas.text(line, x: r.x + r.z / 2, y: top + lh * Double(k) + capped * 0.93, color: ink, align: .center)
      }
    }
    canvas.font(size: 15, bold: true)
    canvas.text("render plan · step \(step + 1) of \(plan.schedule.count) · \(plan.windows.count) windows", x: 12, y: 22, color: style.ink, halo: style.halo, haloWidth: 4)
    return try canvas.png()
  }
}
