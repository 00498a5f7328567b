import VistaCore
/// UMAP's attraction term tabulated over d², so the SGD's chain of edge samples does a table lookup
/// instead of a `pow` and a division (the repulsion, computed many samples at a time, uses
/// `RepulsionKernel`'s polynomials instead).
///
/// With q(x) = 1 / (1 + a·x^b) for x = d², the attraction coefficient −2ab·x^{b−1}·q(x) =
/// −2b · `attraction(x)`, attraction(x) = a·x^{b−1}·q(x).
/// Entries sit at 2^e·(1 + j/128) for exponents e in [−40, 40) (128 per octave, indexed straight
/// from the float's exponent and top 7 mantissa bits) and are interpolated linearly with the
/// remaining mantissa bits: relative error below 3e-5, 41 KB. Values outside the range
/// are clamped to its ends (d² < 1e-12 or > 1e12 do not occur in a layout of extent ~10–100).
struct KernelTable {
  static let minExponent = -40
  static let maxExponent = 40
  static let perOctave = 128
  private(set) var attraction: [Float]

  init(a: Double, b: Double) {
    let count = (KernelTable.maxExponent - KernelTable.minExponent) * KernelTable.perOctave + 1
    attraction = [Float](repeating: 0, count: count)
    for i in 0..<count {
      let e = KernelTable.minExponent + i / KernelTable.perOctave
      let x = LibM.pow(2, Double(e)) * (1 + Double(i % KernelTable.perOctave) / Double(KernelTable.perOctave))
      let xb = LibM.pow(x, b)
      let q = 1 / (1 + a * xb)
      attraction[i] = Float(a * xb / x * q)
    }
  }

  /// Index and interpolation weight of x (> 0) in the table.
  @inline(__always) static func position(_ x: Float) -> (Int, Float) {
    let bits = x.bitPattern
    let base = Int(bits >> 16) - ((minExponent + 127) << 7)
    if base < 0 { return (0, 0) }
    let last = (maxExponent - minExponent) * perOctave
    if base >= last { return (last - 1, 1) }
    return (base, Float(bits & 0xFFFF) * (1 / 65536))
  }
}

/// A pointer into a `KernelTable` for the hot loop.
struct KernelLookup {
  let attraction: UnsafePointer<Float>

  /// a·x^{b−1} / (1 + a·x^b)
  @inline(__always) func attraction(_ x: Float) -> Float {
    let (i, f) = KernelTable.position(x)
    return attraction[i] + f * (attraction[i + 1] - attraction[i])
  }
}

extension KernelTable {
  func withLookup<R>(_ body: (KernelLookup) throws -> R) rethrows -> R {
    try attraction.withUnsafeBufferPointer { at in try body(KernelLookup(attraction: at.baseAddress!)) }
  }
}
