import Foundation

/// A kernel density estimate on a regular grid over the canvas.
///
/// Points are splatted bilinearly onto the grid and blurred with a separable Gaussian: O(cells * radius)
/// instead of O(cells * points), so a per-cluster density of 4,000 points costs well under a millisecond
/// per cluster. Values are densities up to a constant: only their relative levels are used.
public struct DensityField: Sendable, Codable, Equatable {
  public var width: Int
  public var height: Int
  /// Row-major values, row 0 at the top of the canvas.
  public var values: [Float]
  /// The bandwidth used, in canvas height units.
  public var bandwidth: Float

  public var maximum: Float { values.max() ?? 0 }

  /// The cell holding the maximum, in canvas units (its centre).
  public var peak: SIMD2<Float> {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return SIMD2((Float(best % width) + 0.5) / Float(width), (Float(best / width) + 0.5) / Float(height))
  }

  /// The density at a canvas position (bilinear).
  public func value(at p: SIMD2<Float>) -> Float {
    let gx = p.x * Float(width) - 0.5, gy = p.y * Float(height) - 0.5
    let x0 = max(0, min(width - 1, Int(floor(gx)))), y0 = max(0, min(height - 1, Int(floor(gy))))
    let x1 = min(width - 1, x0 + 1), y1 = min(height - 1, y0 + 1)
    let tx = max(0, min(1, gx - Float(x0))), ty = max(0, min(1, gy - Float(y0)))
    let a = values[y0 * width + x0] * (1 - tx) + values[y0 * width + x1] * tx
    let b = values[y1 * width + x0] * (1 - tx) + values[y1 * width + x1] * tx
    return a * (1 - ty) + b * ty
  }

  /// Estimates the density of `points` (canvas units) on a `width x height` grid.
  ///
  /// - Parameters:
  ///   - aspect: canvas width / height, so the kernel is round on the canvas.
  ///   - bandwidth: Gaussian sigma in canvas height units; nil picks Scott's rule (n^(-1/6) times the
  ///     points' spread) times `bandwidthScale`.
  public static func estimate(
    points: [SIMD2<Float>], width: Int, height: Int, aspect: Float, bandwidth: Float? = nil, bandwidthScale: Float = 0.5
  ) -> DensityField {
    var grid = [Float](repeating: 0, count: width * height)
    for p in points {
      let gx = p.x * Float(width) - 0.5, gy = p.y * Float(height) - 0.5
      let x0 = Int(floor(gx)), y0 = Int(floor(gy))
      let tx = gx - Float(x0), ty = gy - Float(y0)
      for (dx, dy, w) in [(0, 0, (1 - tx) * (1 - ty)), (1, 0, tx * (1 - ty)), (0, 1, (1 - tx) * ty), (1, 1, tx * ty)] {
        let x = min(width - 1, max(0, x0 + dx)), y = min(height - 1, max(0, y0 + dy))
        grid[y * width + x] += w
      }
    }
    let sigma = bandwidth ?? scottBandwidth(points, aspect: aspect) * bandwidthScale
    // sigma in height units -> cells: height has `height` cells, width `width` cells over `aspect` units.
    let sigmaY = max(0.5, sigma * Float(height))
    let sigmaX = max(0.5, sigma * Float(width) / aspect)
    blur(&grid, width: width, height: height, sigmaX: sigmaX, sigmaY: sigmaY)
    return DensityField(width: width, height: height, values: grid, bandwidth: sigma)
  }

  /// Scott's rule for a 2-D Gaussian KDE: n^(-1/6) times the mean standard deviation (height units).
  static func scottBandwidth(_ points: [SIMD2<Float>], aspect: Float) -> Float {
    guard points.count > 1 else { return 0.05 }
    var mean = SIMD2<Float>.zero
    for p in points { mean += p }
    mean /= Float(points.count)
    var v = SIMD2<Float>.zero
    for p in points { let d = p - mean; v += d * d }
    v /= Float(points.count - 1)
    let sd = (v.x.squareRoot() * aspect + v.y.squareRoot()) / 2
    return max(1e-3, sd * Float(pow(Double(points.count), -1.0 / 6.0)))
  }

  /// Separable Gaussian blur, zero outside the grid, kernel truncated at 3 sigma.
  static func blur(_ grid: inout [Float], width: Int, height: Int, sigmaX: Float, sigmaY: Float) {
    func kernel(_ s: Float) -> [Float] {
      let r = max(1, Int(ceil(3 * s)))
      var k = (-r...r).map { Float(exp(-Double($0 * $0) / (2 * Double(s * s)))) }
      let total = k.reduce(0, +)
      for i in k.indices { k[i] /= total }
      return k
    }
    let kx = kernel(sigmaX), ky = kernel(sigmaY)
    let rx = kx.count / 2, ry = ky.count / 2
    var tmp = [Float](repeating: 0, count: grid.count)
    grid.withUnsafeBufferPointer { src in
      tmp.withUnsafeMutableBufferPointer { dst in
        for y in 0..<height {
          let row = y * width
          for x in 0..<width {
            var s: Float = 0
            let lo = max(0, x - rx), hi = min(width - 1, x + rx)
            for xx in lo...hi { s += src[row + xx] * kx[xx - x + rx] }
            dst[row + x] = s
          }
        }
      }
    }
    tmp.withUnsafeBufferPointer { src in
      grid.withUnsafeMutableBufferPointer { dst in
        for y in 0..<height {
          let lo = max(0, y - ry), hi = min(height - 1, y + ry)
          for x in 0..<width {
            var s: Float = 0
            for yy in lo...hi { s += src[yy * width + x] * ky[yy - y + ry] }
            dst[y * width + x] = s
          }
        }
      }
    }
  }
}
