/// A small, fast, seedable generator (SplitMix64 seeding a xoshiro256**), so every random
/// step in VISTA takes an explicit seed and the same seed gives the same result on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  public init(seed: UInt64) {
    var x = seed
    func splitmix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
  }

  @inlinable static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  public mutating func next() -> UInt64 {
    let result = SeededGenerator.rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = SeededGenerator.rotl(s3, 45)
    return result
  }

  /// A uniform Float in [0, 1).
  public mutating func nextUnitFloat() -> Float { Float(next() >> 40) * (1.0 / Float(1 << 24)) }

  /// A uniform Double in [0, 1).
  public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53)) }

  /// A standard normal draw (Box-Muller).
  public mutating func nextGaussian() -> Double {
    var u = nextUnitDouble()
    while u <= .leastNonzeroMagnitude { u = nextUnitDouble() }
    let v = nextUnitDouble()
    return (-2 * LibM.log(u)).squareRoot() * LibM.cos(2 * Double.pi * v)
  }

  /// An independent stream derived from this seed and a stream number (for per-thread or per-item draws).
  public static func stream(seed: UInt64, index: UInt64) -> SeededGenerator {
    SeededGenerator(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03) &+ index)
  }
}
