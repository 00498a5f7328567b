import VistaCore

/// A 2-D layout mapped onto the map canvas: x in [0, 1] left to right, y in [0, 1] top to bottom.
///
/// UMAP layouts have a few far outliers; scaling to the raw bounding box would squash the body of the
/// map into a corner. Like Activation Atlas (`normalize_layout`), each axis is clipped to its
/// [1, 99] percentiles and a margin is added; points beyond are pinned to the clip box so every point
/// still lands on the canvas (and in a tile). Unlike Activation Atlas the scale is uniform by default
/// (`preserveAspect`), so map distances stay proportional to layout distances, which the 2-D side of
/// the mutual-kNN gain measures.
public struct NormalizedLayout: Sendable, Codable, Equatable {
  /// One position per point, in canvas units ([0, 1] on both axes, y down).
  public var positions: [SIMD2<Float>]
  /// Canvas width / height (e.g. 16/9 for a 32x18 tile grid).
  public var aspect: Float
  /// How many points lay outside the percentile box and were pinned to it.
  public var clippedCount: Int
  /// Maps a raw layout position to canvas units: canvas = raw * scale + offset (y flipped).
  public var scale: SIMD2<Float>
  public var offset: SIMD2<Float>

  public var count: Int { positions.count }

  /// Normalises raw layout coordinates onto a canvas of the given aspect.
  ///
  /// - Parameters:
  ///   - raw: positions as produced by the layout (y up, any units).
  ///   - aspect: canvas width / height, > 0.
  ///   - clipPercentiles: lower and upper percentile per axis (default 1 and 99).
  ///   - margin: fraction of the canvas left empty on each side (default 0.05).
  ///   - preserveAspect: uniform scale (true) or stretch each axis to fill (false, Activation Atlas).
  /// - Throws: `VistaError` for an empty layout, non-finite coordinates or bad options.
  public init(
    raw: [SIMD2<Float>], aspect: Float, clipPercentiles: (Float, Float) = (1, 99), margin: Float = 0.05,
    preserveAspect: Bool = true
  ) throws {
    guard !raw.isEmpty else { throw VistaError("the layout has no points", at: "layout") }
    guard aspect.isFinite, aspect > 0 else { throw VistaError("aspect must be positive, got \(aspect)", at: "option aspect") }
    guard clipPercentiles.0 >= 0, clipPercentiles.1 <= 100, clipPercentiles.0 < clipPercentiles.1 else {
      throw VistaError("clip percentiles must satisfy 0 <= low < high <= 100", at: "option clip")
    }
    guard margin >= 0, margin < 0.45 else { throw VistaError("margin must be in [0, 0.45)", at: "option margin") }
    if let bad = raw.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
      throw VistaError("point \(bad) has a non-finite coordinate", at: "layout row \(bad)")
    }
    let xs = raw.map(\.x).sorted(), ys = raw.map(\.y).sorted()
    let lo = SIMD2(Self.percentile(xs, clipPercentiles.0), Self.percentile(ys, clipPercentiles.0))
    let hi = SIMD2(Self.percentile(xs, clipPercentiles.1), Self.percentile(ys, clipPercentiles.1))
    var span = hi - lo
    span.x = max(span.x, 1e-6); span.y = max(span.y, 1e-6)
    // Canvas in "height units": width = aspect, height = 1; usable box shrinks by the margin on each side.
    let usable = SIMD2<Float>(aspect * (1 - 2 * margin), 1 - 2 * margin)
    var s = usable / span
    if preserveAspect { let u = min(s.x, s.y); s = SIMD2(u, u) }
    let used = span * s
    let start = SIMD2<Float>((aspect - used.x) / 2, (1 - used.y) / 2)
    // canvas = ((raw - lo) * s + start) / (aspect, 1), y flipped so that "up" in the layout is up on the map.
    let sx = s.x / aspect, sy = -s.y
    let ox = (start.x - lo.x * s.x) / aspect
    let oy = 1 - (start.y - lo.y * s.y)
    scale = SIMD2(sx, sy)
    offset = SIMD2(ox, oy)
    self.aspect = aspect
    let boxLo = SIMD2<Float>(lo.x, lo.y), boxHi = SIMD2<Float>(hi.x, hi.y)
    var clipped = 0
    positions = raw.map { p in
      let q = simd_clamp(p, boxLo, boxHi)
      if q != p { clipped += 1 }
      return q * SIMD2(sx, sy) + SIMD2(ox, oy)
    }
    clippedCount = clipped
  }

  /// Normalises an n x 2 layout matrix.
  public init(matrix: Matrix, aspect: Float, margin: Float = 0.05, preserveAspect: Bool = true) throws {
    guard matrix.cols == 2 else {
      throw VistaError("a layout must have 2 columns, got \(matrix.cols)", at: "layout")
    }
    let raw = (0..<matrix.rows).map { SIMD2(matrix.storage[2 * $0], matrix.storage[2 * $0 + 1]) }
    try self.init(raw: raw, aspect: aspect, margin: margin, preserveAspect: preserveAspect)
  }

  /// Wraps positions already in canvas units (tests, or a layout saved with its map).
  public init(canvasPositions: [SIMD2<Float>], aspect: Float) {
    positions = canvasPositions.map { simd_clamp($0, .zero, SIMD2(1, 1)) }
    self.aspect = aspect
    clippedCount = 0
    scale = SIMD2(1, 1)
    offset = .zero
  }

  /// Linear-interpolated percentile of sorted values (numpy's default rule).
  static func percentile(_ sorted: [Float], _ p: Float) -> Float {
    if sorted.count == 1 { return sorted[0] }
    let pos = p / 100 * Float(sorted.count - 1)
    let i = min(Int(pos), sorted.count - 2)
    let t = pos - Float(i)
    return sorted[i] * (1 - t) + sorted[i + 1] * t
  }
}

@inlinable func simd_clamp(_ v: SIMD2<Float>, _ lo: SIMD2<Float>, _ hi: SIMD2<Float>) -> SIMD2<Float> {
  SIMD2(min(max(v.x, lo.x), hi.x), min(max(v.y, lo.y), hi.y))
}
