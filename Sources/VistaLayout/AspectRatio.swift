import VistaCore

/// A target width:height for the layout (the paper's maps are stretched, e.g. 16:9).
///
/// How it is imposed (the paper leaves it open). UMAP's loss depends only on distances in the
/// output, so running the SGD under a stretched output metric (option b of vista-method §2.10) is
/// exactly an isotropic layout viewed through a coordinate scaling, and scaling a finished layout
/// (option a) moves 2-D neighbours the SGD never saw. We instead stretch the *starting* layout and
/// let the isotropic SGD work inside it (option c):
/// 1. the initial layout is rotated so the stretch direction lies along x — the direction in which
///    the selected latent's activation grows (linear regression on the coordinates) for the VISTA
///    metric, else the principal axis — and mapped to [0, 10·√r] × [0, 10/√r] instead of
///    umap-learn's [0, 10]², which would erase any anisotropy;
/// 2. the SGD runs unchanged, so the map's Euclidean neighbours are the ones it optimised; UMAP
///    keeps the global shape of its start, so the result stays close to the target ratio;
/// 3. the finished layout is rotated the same way again and the small residual is corrected by
///    an anisotropic scale (`correction`, recorded; 1 means none was needed).
/// The 2-D gain depends on this choice, so `AspectMetadata` records it with the layout.
public struct AspectRatio: Sendable, Codable, Equatable, CustomStringConvertible {
  public var width: Double
  public var height: Double

  public init(width: Double, height: Double) throws {
    guard width > 0, height > 0, width.isFinite, height.isFinite else {
      throw VistaError("aspect ratio needs two positive numbers, got \(width):\(height)", at: "option aspect")
    }
    self.width = width
    self.height = height
  }

  /// Parses "16:9", "16x9" or a single number ("1.78").
  public init(parsing text: String) throws {
    let parts = text.split(whereSeparator: { $0 == ":" || $0 == "x" || $0 == "/" }).map { Double(String($0.filter { $0 != " " })) }
    if parts.count == 2, let w = parts[0], let h = parts[1] {
      try self.init(width: w, height: h)
    } else if parts.count == 1, let r = parts[0] {
      try self.init(width: r, height: 1)
    } else {
      throw VistaError("cannot read aspect ratio '\(text)'; write it like 16:9", at: "option aspect")
    }
  }

  public var ratio: Double { width / height }
  public var description: String { "\(AspectRatio.trim(width)):\(AspectRatio.trim(height))" }

  static func trim(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

/// What was done to reach the aspect ratio, stored with the layout.
public struct AspectMetadata: Sendable, Codable, Equatable {
  public var target: AspectRatio
  /// "stretched-init": option (c) of vista-method §2.10, see `AspectRatio`.
  public var method: String
  /// "latent activation" or "principal axis": what the long (x) axis follows.
  public var orientation: String
  /// Width:height of the layout as the SGD left it, before the final correction.
  public var ratioBeforeCorrection: Double
  /// The x scale of the final correction (y is scaled by its inverse); 1 = none.
  public var correction: Double
}

/// Rotations and anisotropic scalings of n × 2 layouts.
enum LayoutGeometry {
  /// The unit direction of the stretch: the regression direction of `values` on the coordinates,
  /// or the principal axis when there are no values (or they do not vary).
  static func direction(_ layout: Matrix, values: [Float]?) -> (x: Double, y: Double) {
    let n = layout.rows
    var mx = 0.0, my = 0.0
    for i in 0..<n { mx += Double(layout[i, 0]); my += Double(layout[i, 1]) }
    mx /= Double(n); my /= Double(n)
    var sxx = 0.0, sxy = 0.0, syy = 0.0
    for i in 0..<n {
      let dx = Double(layout[i, 0]) - mx, dy = Double(layout[i, 1]) - my
      sxx += dx * dx; sxy += dx * dy; syy += dy * dy
    }
    if let values, values.count == n {
      var mv = 0.0
      for v in values { mv += Double(v) }
      mv /= Double(n)
      var cxv = 0.0, cyv = 0.0
      for i in 0..<n {
        let dv = Double(values[i]) - mv
        cxv += (Double(layout[i, 0]) - mx) * dv
        cyv += (Double(layout[i, 1]) - my) * dv
      }
      let det = sxx * syy - sxy * sxy
      if det > 0 {
        let bx = (syy * cxv - sxy * cyv) / det, by = (sxx * cyv - sxy * cxv) / det
        let len = (bx * bx + by * by).squareRoot()
        if len > 0 && len.isFinite { return (bx / len, by / len) }
      }
    }
    // Principal axis of the 2 × 2 covariance.
    let angle = 0.5 * LibM.atan2(2 * sxy, sxx - syy)
    return (cosine(angle), sine(angle))
  }

  /// Rotates the layout so `direction` becomes +x.
  static func rotate(_ layout: inout Matrix, toAlign direction: (x: Double, y: Double)) {
    let c = direction.x, s = direction.y
    for i in 0..<layout.rows {
      let x = Double(layout[i, 0]), y = Double(layout[i, 1])
      layout[i, 0] = Float(c * x + s * y)
      layout[i, 1] = Float(-s * x + c * y)
    }
  }

  /// Width / height of the bounding box.
  static func extentRatio(_ layout: Matrix) -> Double {
    let (w, h) = extents(layout)
    return h > 0 ? w / h : .infinity
  }

  static func extents(_ layout: Matrix) -> (Double, Double) {
    var minX = Float.infinity, maxX = -Float.infinity, minY = Float.infinity, maxY = -Float.infinity
    for i in 0..<layout.rows {
      minX = min(minX, layout[i, 0]); maxX = max(maxX, layout[i, 0])
      minY = min(minY, layout[i, 1]); maxY = max(maxY, layout[i, 1])
    }
    return (Double(maxX - minX), Double(maxY - minY))
  }

  /// Maps each axis to [0, width] and [0, height] (umap-learn: both 10).
  static func rescale(_ layout: inout Matrix, width: Double, height: Double) {
    for d in 0..<2 {
      var lo = Float.infinity, hi = -Float.infinity
      for i in 0..<layout.rows { lo = min(lo, layout[i, d]); hi = max(hi, layout[i, d]) }
      let span = Double(hi - lo)
      let target = d == 0 ? width : height
      for i in 0..<layout.rows {
        layout[i, d] = span > 0 ? Float(target * Double(layout[i, d] - lo) / span) : Float(target / 2)
      }
    }
  }

  /// Scales x by `factor` and y by 1/factor about the centroid.
  static func stretch(_ layout: inout Matrix, by factor: Double) {
    var mx = 0.0, my = 0.0
    for i in 0..<layout.rows { mx += Double(layout[i, 0]); my += Double(layout[i, 1]) }
    mx /= Double(max(layout.rows, 1)); my /= Double(max(layout.rows, 1))
    for i in 0..<layout.rows {
      layout[i, 0] = Float(mx + (Double(layout[i, 0]) - mx) * factor)
      layout[i, 1] = Float(my + (Double(layout[i, 1]) - my) / factor)
    }
  }
}

