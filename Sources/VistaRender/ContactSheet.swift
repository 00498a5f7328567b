import Foundation
import VistaCore
import VistaMap

/// A grid of small labelled maps, for parameter sweeps (`layout ... sweep`): one cell per map with its
/// caption (e.g. "min_dist 0.1 · gain 0.21") under it.
public enum ContactSheet {
  /// One cell: a map and its label.
  public struct Item {
    public var map: CaptionMap
    public var label: String
    public init(map: CaptionMap, label: String) { self.map = map; self.label = label }
  }

  /// Renders the sheet with `columns` cells per row, each `cellWidth` pixels wide.
  ///
  /// - Throws: `VistaError` when there are no items or the size is unreasonable.
  public static func render(_ items: [Item], columns: Int = 4, cellWidth: Int = 360, style: MapStyle = MapStyle(), title: String? = nil) throws -> PNGImage {
    guard !items.isEmpty else { throw VistaError("a contact sheet needs at least one map", at: "contact sheet") }
    guard columns >= 1 else { throw VistaError("columns must be at least 1", at: "option columns") }
    let cols = min(columns, items.count), rows = (items.count + cols - 1) / cols
    let aspect = Double(items[0].map.layout.aspect)
    let cellH = Double(cellWidth) / aspect, labelH = 26.0, gap = 10.0, header = title == nil ? 0.0 : 40.0
    let width = Int(Double(cols) * (Double(cellWidth) + gap) + gap)
    let height = Int(header + Double(rows) * (cellH + labelH + gap) + gap)
    var cellStyle = style
    cellStyle.fineLabels = false
    cellStyle.title = nil
    cellStyle.legend = false
    let canvas = try CairoCanvas(width: width, height: height, background: RGBA(hex: 0xEFECE5))
    if let title {
      canvas.font(size: 18, bold: true)
      canvas.text(title, x: gap, y: 28, color: cellStyle.ink)
    }
    for (k, item) in items.enumerated() {
      let x = gap + Double(k % cols) * (Double(cellWidth) + gap)
      let y = header + gap + Double(k / cols) * (cellH + labelH + gap)
      canvas.fillRect(x, y, Double(cellWidth), cellH + labelH, cellStyle.paper)
      canvas.save()
      canvas.clip(x, y, Double(cellWidth), cellH)
      MapPainter(map: item.map, style: cellStyle).draw(on: canvas, rect: SIMD4(x, y, Double(cellWidth), cellH), labelScale: 1.5)
      canvas.restore()
      canvas.strokeRect(x, y, Double(cellWidth), cellH + labelH, cellStyle.ink.withAlpha(0.15), width: 1)
      canvas.font(size: 12.5, bold: true)
      canvas.text(item.label, x: x + 8, y: y + cellH + 18, color: cellStyle.ink)
    }
    return try canvas.png()
  }
}
