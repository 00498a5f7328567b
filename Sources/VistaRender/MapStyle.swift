import VistaMap

/// How points are coloured.
public enum PointColoring: Sendable, Equatable {
  /// By the selected latent's activation through a perceptual colormap, with a colour bar.
  case activation(Colormap)
  /// By a categorical metadata column (one value per point), with a legend.
  case category(name: String, values: [String])
  /// By any per-point number (e.g. each point's neighbour agreement between latent space and map, to
  /// show the layout's fidelity on the map), with a colour bar named `name`.
  case continuous(name: String, values: [Float], colormap: Colormap)
}

/// Which layers a map drawing shows and how it looks.
public struct MapStyle: Sendable {
  public var coloring: PointColoring = .activation(.viridis)
  public var regions = true
  public var connections = true
  public var points = true
  public var labels = true
  public var fineLabels = true
  public var tileGrid = false
  public var dark = false
  /// Point radius in pixels; nil picks one from the point count and image size.
  public var pointRadius: Double?
  public var title: String?
  public var subtitle: String?
  /// Colour bar (activation) or legend (category).
  public var legend = true

  public init() {}

  var paper: RGBA { dark ? RGBA(hex: 0x15171C) : RGBA(hex: 0xF7F5F0) }
  var ink: RGBA { dark ? RGBA(hex: 0xECE9E2) : RGBA(hex: 0x23262D) }
  var mutedInk: RGBA { dark ? RGBA(hex: 0xA7A9AE) : RGBA(hex: 0x5D6169) }
  var halo: RGBA { paper.withAlpha(0.92) }

  /// The fill colour of a region at a contour level (0 = outermost).
  func regionFill(hue: Double, level: Int, levels: Int) -> RGBA {
    let l = dark ? 0.52 : 0.80
    let c = dark ? 0.10 : 0.095
    let alpha = (dark ? 0.20 : 0.30) + 0.06 * Double(level) / Double(max(1, levels - 1))
    return RGBA.oklch(l - 0.07 * Double(level), c + 0.015 * Double(level), hue, alpha: alpha)
  }

  /// The ink colour of a region's label and outline.
  func regionInk(hue: Double) -> RGBA { dark ? RGBA.oklch(0.86, 0.09, hue) : RGBA.oklch(0.40, 0.10, hue) }
}
