import Foundation
import VistaMap

/// A colour with straight alpha, channels in [0, 1].
public struct RGBA: Sendable, Equatable, Codable {
  public var r: Double, g: Double, b: Double, a: Double
  public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }

  /// From `0xRRGGBB`.
  public init(hex: UInt32, alpha: Double = 1) {
    self.init(Double((hex >> 16) & 255) / 255, Double((hex >> 8) & 255) / 255, Double(hex & 255) / 255, alpha)
  }

  public func withAlpha(_ a: Double) -> RGBA { RGBA(r, g, b, a) }

  /// Linear mix towards `other` by t.
  public func mixed(with other: RGBA, _ t: Double) -> RGBA {
    RGBA(r + (other.r - r) * t, g + (other.g - g) * t, b + (other.b - b) * t, a + (other.a - a) * t)
  }

  /// `#rrggbb` for HTML and SVG.
  public var css: String {
    func h(_ v: Double) -> String { let i = Int((max(0, min(1, v)) * 255).rounded()); return (i < 16 ? "0" : "") + String(i, radix: 16) }
    return "#" + h(r) + h(g) + h(b)
  }

  /// An OKLCH colour (Ottosson's OKLab in polar form) converted to sRGB, clipped to the gamut.
  public static func oklch(_ l: Double, _ c: Double, _ hueDegrees: Double, alpha: Double = 1) -> RGBA {
    let h = hueDegrees * .pi / 180
    let a = c * cos(h), b = c * sin(h)
    let l_ = l + 0.3963377774 * a + 0.2158037573 * b
    let m_ = l - 0.1055613458 * a - 0.0638541728 * b
    let s_ = l - 0.0894841775 * a - 1.2914855480 * b
    let L = l_ * l_ * l_, M = m_ * m_ * m_, S = s_ * s_ * s_
    let lr = 4.0767416621 * L - 3.3077115913 * M + 0.2309699292 * S
    let lg = -1.2684380046 * L + 2.6097574011 * M - 0.3413193965 * S
    let lb = -0.0041960863 * L - 0.7034186147 * M + 1.7076147010 * S
    func gamma(_ x: Double) -> Double {
      let v = max(0, min(1, x))
      return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055
    }
    return RGBA(gamma(lr), gamma(lg), gamma(lb), alpha)
  }
}

/// Perceptually uniform colormaps as tables of 11 evenly spaced stops (matplotlib's viridis and
/// magma at 0, 0.1, ..., 1), interpolated linearly in sRGB.
public enum Colormap: String, Sendable, Codable, CaseIterable {
  case viridis, magma

  public var stops: [UInt32] {
    switch self {
    case .viridis: return [0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725]
    case .magma: return [0x000004, 0x140E36, 0x3B0F70, 0x641A80, 0x8C2981, 0xB73779, 0xDE4968, 0xF7705C, 0xFE9F6D, 0xFECF92, 0xFCFDBF]
    }
  }

  /// The colour at t in [0, 1] (clamped).
  public func color(_ t: Double) -> RGBA {
    let s = stops
    let x = max(0, min(1, t.isFinite ? t : 0)) * Double(s.count - 1)
    let i = min(Int(x), s.count - 2)
    return RGBA(hex: s[i]).mixed(with: RGBA(hex: s[i + 1]), x - Double(i))
  }
}

/// Colours for categories and clusters.
public enum Palette {
  /// A qualitative palette for metadata columns (Okabe-Ito, colour-blind safe, then 4 extra hues).
  public static let qualitative: [UInt32] = [
    0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7, 0x999999, 0x8C6D31, 0x6B6ECF, 0x7F3B08, 0x1B9E77,
  ]

  public static func category(_ index: Int) -> RGBA { RGBA(hex: qualitative[((index % qualitative.count) + qualitative.count) % qualitative.count]) }

  /// Spatially coherent region hues (datamapplot's idea): regions are ordered by the angle of their
  /// peak around the map centre and given evenly spaced OKLCH hues in that order, so neighbours
  /// around the map get neighbouring but always distinguishable hues.
  public static func regionHues(_ map: CaptionMap) -> [Double] {
    let centre = SIMD2<Float>(0.5, 0.5)
    let order = map.regions.indices.sorted { a, b in
      let pa = map.regions[a].peak - centre, pb = map.regions[b].peak - centre
      return atan2(Double(pa.y), Double(pa.x)) < atan2(Double(pb.y), Double(pb.x))
    }
    var hues = [Double](repeating: 0, count: map.regions.count)
    let n = max(1, order.count)
    for (rank, r) in order.enumerated() { hues[r] = 20 + 360 * Double(rank) / Double(n) }
    return hues
  }
}
