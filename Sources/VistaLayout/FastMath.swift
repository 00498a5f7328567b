/// Float approximations of log₂, 2ˣ and xʸ for the SGD inner loop, where `pow` dominates.
///
/// Polynomials fitted by least squares: |log₂ error| < 5e-6 on every normal float, 2ˣ relative
/// error < 3e-7, so x^b is within ~4e-6 relative of libm's — far below the SGD's own noise, and
/// about 4x cheaper than `powf`.
enum FastMath {
  @inline(__always) static func log2(_ x: Float) -> Float {
    let bits = x.bitPattern
    let exponent = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 127)
    let t = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000) - 1
    var p: Float = -0.026066301477647668
    p = p * t + 0.12191413944240218
    p = p * t - 0.27736505014434903
    p = p * t + 0.45689417400049803
    p = p * t - 0.717898381269463
    p = p * t + 1.4425170337700006
    return exponent + p * t
  }

  @inline(__always) static func exp2(_ y: Float) -> Float {
    let clamped = min(max(y, -126), 127)
    let whole = clamped.rounded(.down)
    let f = clamped - whole
    var p: Float = 0.0018943794234326484
    p = p * f + 0.008940582529306145
    p = p * f + 0.0558765568689689
    p = p * f + 0.2401316918719776
    p = p * f + 0.6931567766988521
    p = p * f + 0.9999997696337073
    return p * Float(bitPattern: UInt32(Int32(whole) + 127) << 23)
  }

  /// xʸ for x > 0 (x is clamped to the smallest normal float).
  @inline(__always) static func pow(_ x: Float, _ y: Float) -> Float {
    exp2(y * log2(max(x, Float.leastNormalMagnitude)))
  }
}
