/// UMAP's repulsion, 2γb·(h − t) / ((0.001 + d²)(1 + a·d^{2b})) clipped to ±4, for a run of
/// negative samples at once, with x^b computed as 2^{b·log2 x} by short polynomials.
///
/// Why a loop over a run and polynomials, not the table the attraction uses: the samples of a run
/// are independent, so LLVM's loop vectorizer turns `gradients` into 16-lane AVX-512 (or 8-lane
/// AVX2) arithmetic, about 1 ns a sample against 7 for the scalar table lookup; a table lookup per
/// lane would be a gather, which on the x86-64 CPUs we measured costs more than the scalar loads
/// it replaces. (Written with the standard library's `SIMD8` instead, the code came out split
/// into 2-lane pieces and shuffles: slower than scalar.) Relative error of x^b below 1e-5 for x in
/// [1e-12, 1e12] and b ≤ 1 (UMAP's usual b; about b · 6e-6 above), tighter than the table's 3e-5. Multiplications and additions only (no fused
/// multiply-add), so every x86-64 and ARM build computes the same bits.
struct RepulsionKernel {
  let a: Float
  let b: Float
  /// 2γb
  let scale: Float

  /// Writes the clipped repulsion of `x, y` from each of `count` tails (`poolX[i], poolY[i]`) to
  /// `outX[i], outY[i]`; 0 from entry `valid` on (a run's padding to whole vectors, which `total`
  /// reads), and 0 for a tail at the same position, which is also how a head's own entry is
  /// skipped: the SGD computes a head's repulsion before it moves in the epoch, from the pool
  /// arranged from that epoch's positions, so its own entry is exactly where it stands.
  ///
  /// Not inlined, so that it is vectorized as a loop of its own whatever its caller looks like.
  @inline(never)
  func gradients(x: Float, y: Float, poolX: UnsafePointer<Float>, poolY: UnsafePointer<Float>, count: Int,
                 valid: Int, outX: UnsafeMutablePointer<Float>, outY: UnsafeMutablePointer<Float>) {
    for i in 0..<count {
      let nx = x - poolX[i], ny = y - poolY[i]
      let d2 = nx * nx + ny * ny
      let c = coefficient(d2)
      let counts = d2 > 0 && i < valid
      outX[i] = counts ? min(4, max(-4, c * nx)) : 0
      outY[i] = counts ? min(4, max(-4, c * ny)) : 0
    }
  }

  /// The sum of `count` gradients as `gradients` wrote them (`count` a multiple of 16, with zeros
  /// past the valid ones), in a fixed order on every machine. Read in the vectors they were
  /// written in, so that each load is forwarded from its store.
  static func total(x: UnsafePointer<Float>, y: UnsafePointer<Float>, count: Int) -> (Float, Float) {
    typealias Lanes = SIMD16<Float>
    var sx = Lanes(repeating: 0), sy = Lanes(repeating: 0)
    var i = 0
    while i < count {
      sx += UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self)
      sy += UnsafeRawPointer(y + i).loadUnaligned(as: Lanes.self)
      i += Lanes.scalarCount
    }
    @inline(__always) func fold(_ v: Lanes) -> Float {
      let eight = v.lowHalf + v.highHalf, four = eight.lowHalf + eight.highHalf, two = four.lowHalf + four.highHalf
      return two[0] + two[1]
    }
    return (fold(sx), fold(sy))
  }

  /// 2γb / ((0.001 + x)(1 + a·x^b)) for x = d² ≥ 0.
  @inline(__always) func coefficient(_ x: Float) -> Float {
    scale / ((0.001 + x) * (1 + a * RepulsionKernel.power(x, b)))
  }

  /// x^b for x > 0 (x is raised to 1e-30, so that x = 0 stays finite).
  @inline(__always) static func power(_ x: Float, _ b: Float) -> Float {
    // x = 2^e · m with m in [√½, √2): subtracting √½'s bit pattern puts e in the exponent field.
    let sqrtHalfBits: Int32 = 0x3F35_04F3
    let bits = Int32(bitPattern: max(x, 1e-30).bitPattern) &- sqrtHalfBits
    let e = Float(bits &>> 23)
    let u = Float(bitPattern: UInt32(bitPattern: (bits & 0x007F_FFFF) &+ sqrtHalfBits)) - 1
    // log2(1 + u) = u·P(u) on [√½ − 1, √2 − 1]: least squares on Chebyshev nodes, degree 5,
    // absolute error 4e-6.
    var p: Float = -0.20685812830924988
    p = p * u + 0.3184071183204651
    p = p * u - 0.36641326546669006
    p = p * u + 0.47979387640953064
    p = p * u - 0.7212084531784058
    p = p * u + 1.442701816558838
    let y = min(max(b * (e + u * p), -126), 126)
    // 2^y = 2^k · 2^f with k = round(y), f in [−½, ½]: adding 1.5·2^23 rounds y to an integer and
    // leaves k in the low mantissa bits. 2^f to 4e-6 relative (degree 4, same fit).
    let magic: Float = 12_582_912
    let shifted = y + magic
    let f = y - (shifted - magic)
    var q: Float = 0.009676037356257439
    q = q * f + 0.05592203512787819
    q = q * f + 0.2402210682630539
    q = q * f + 0.6931210160255432
    q = q * f + 1.0000001192092896
    let k = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
    return q * Float(bitPattern: UInt32(bitPattern: (k &+ 127) &<< 23))
  }
}
