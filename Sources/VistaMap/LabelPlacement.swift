/// A cluster label: a few keywords at the cluster's anchor, coarse (level 0) or fine (level 1).
public struct MapLabel: Sendable, Codable, Equatable {
  public var cluster: Int
  /// 0 = coarse cluster, 1 = fine cluster.
  public var level: Int
  public var text: String
  /// Where the label wants to sit, canvas units.
  public var anchor: SIMD2<Float>
  /// Higher wins among labels of the same level (the cluster's size).
  public var priority: Float
}

/// A label given a place on a canvas of a given pixel size.
public struct PlacedLabel: Sendable, Codable, Equatable {
  public var label: MapLabel
  public var lines: [String]
  /// Font size in pixels.
  public var fontSize: Float
  public var bold: Bool
  /// Centre of the text block, pixels.
  public var center: SIMD2<Float>
  /// The text block's box (x, y, width, height) in pixels, padding excluded.
  public var box: SIMD4<Float>
}

/// Greedy label placement with rectangle collision (the TF Projector's approach with a hierarchy).
///
/// Labels are placed coarse before fine and, within a level, by priority, so a coarse label always
/// wins a conflict with a fine one. Each label tries its anchor, then small shifts above, below and to
/// the sides; it is dropped when every candidate overlaps an earlier label or leaves the canvas.
public enum LabelPlacer {
  public struct Style: Sendable {
    public var coarseSize: Float = 16.5
    public var fineSize: Float = 11.5
    public var coarseWrap = 20
    public var fineWrap = 22
    /// Extra space kept around each box, in font sizes.
    public var padding: Float = 0.25
    public init() {}
  }

  /// Places `labels` on a canvas of `width x height` pixels; returns the ones that fit.
  ///
  /// - Parameter scale: multiplies the style's font sizes (use canvas height / 900 for a map).
  /// - Complexity: O(L^2) for L labels; a few hundred labels take well under a millisecond each.
  public static func place(
    _ labels: [MapLabel], width: Float, height: Float, scale: Float = 1, style: Style = Style(),
    obstacles: [SIMD4<Float>] = []
  ) -> [PlacedLabel] {
    let order = labels.indices.sorted { a, b in
      let la = labels[a], lb = labels[b]
      if la.level != lb.level { return la.level < lb.level }
      if la.priority != lb.priority { return la.priority > lb.priority }
      return a < b
    }
    var taken = obstacles
    var placed: [PlacedLabel] = []
    for index in order {
      let label = labels[index]
      guard !label.text.isEmpty else { continue }
      let coarse = label.level == 0
      let size = (coarse ? style.coarseSize : style.fineSize) * scale
      let text = coarse ? label.text.uppercased() : label.text
      let lines = TextMetrics.wrapTerms(text, maxCharacters: coarse ? style.coarseWrap : style.fineWrap)
      let w = lines.map { TextMetrics.width($0, size: size, bold: coarse) }.max() ?? 0
      let h = Float(lines.count) * size * TextMetrics.lineHeight
      let pad = style.padding * size
      let anchor = label.anchor * SIMD2(width, height)
      let shifts: [SIMD2<Float>] = [
        SIMD2(0, 0), SIMD2(0, -0.75 * h), SIMD2(0, 0.75 * h), SIMD2(-0.4 * w, 0), SIMD2(0.4 * w, 0),
        SIMD2(0, -1.5 * h), SIMD2(0, 1.5 * h), SIMD2(-0.5 * w, -0.8 * h), SIMD2(0.5 * w, 0.8 * h),
      ]
      for shift in shifts {
        let c = anchor + shift
        let box = SIMD4(c.x - w / 2, c.y - h / 2, w, h)
        guard box.x >= 2, box.y >= 2, box.x + w <= width - 2, box.y + h <= height - 2 else { continue }
        let padded = SIMD4(box.x - pad, box.y - pad, w + 2 * pad, h + 2 * pad)
        if taken.contains(where: { overlaps($0, padded) }) { continue }
        taken.append(padded)
        placed.append(PlacedLabel(label: label, lines: lines, fontSize: size, bold: coarse, center: c, box: box))
        break
      }
    }
    return placed
  }

  /// Whether two (x, y, w, h) boxes overlap with positive area.
  public static func overlaps(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> Bool {
    a.x < b.x + b.z && b.x < a.x + a.z && a.y < b.y + b.w && b.y < a.y + a.w
  }
}
