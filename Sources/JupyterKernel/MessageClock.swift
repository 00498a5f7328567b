import Foundation

/// ISO-8601 timestamps for message headers ("2026-11-29T19:12:15.123456Z"), formatted by hand:
/// a DateFormatter per message would dominate the cost of a trivial execute.
public enum MessageClock {
  /// The current UTC time with microseconds and the "Z" time zone designator.
  public static func now() -> String { format(timespec: currentTimespec()) }

  static func currentTimespec() -> timespec {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return ts
  }

  /// Formats seconds + nanoseconds since the epoch as UTC.
  public static func format(seconds: Int, nanoseconds: Int) -> String {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    var out: [UInt8] = []
    out.reserveCapacity(27)
    func digits(_ value: Int, _ width: Int) {
      var divisor = 1
      for _ in 1..<width { divisor *= 10 }
      var v = value
      while divisor > 0 {
        out.append(UInt8(48 + (v / divisor) % 10))
        v %= divisor
        divisor /= 10
      }
    }
    digits(Int(parts.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
    digits(Int(parts.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
    digits(Int(parts.tm_mday), 2); out.append(UInt8(ascii: "T"))
    digits(Int(parts.tm_hour), 2); out.append(UInt8(ascii: ":"))
    digits(Int(parts.tm_min), 2); out.append(UInt8(ascii: ":"))
    digits(Int(parts.tm_sec), 2); out.append(UInt8(ascii: "."))
    digits(nanoseconds / 1000, 6); out.append(UInt8(ascii: "Z"))
    return String(decoding: out, as: UTF8.self)
  }

  static func format(timespec ts: timespec) -> String {
    format(seconds: Int(ts.tv_sec), nanoseconds: Int(ts.tv_nsec))
  }
}

/// Fresh message ids: random UUID v4 strings from a per-thread generator seeded by the OS,
/// so each message costs no system call.
public struct MessageIDGenerator {
  private var state: (UInt64, UInt64)
  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  public init() {
    var seed = (UInt64(0), UInt64(0))
    withUnsafeMutableBytes(of: &seed) { raw in
      var generator = SystemRandomNumberGenerator()
      raw.storeBytes(of: generator.next(), toByteOffset: 0, as: UInt64.self)
      raw.storeBytes(of: generator.next() | 1, toByteOffset: 8, as: UInt64.self)
    }
    state = seed
  }

  /// xorshift128+: fast, and 128 bits of state are plenty for unique ids.
  private mutating func nextWord() -> UInt64 {
    var s1 = state.0
    let s0 = state.1
    state.0 = s0
    s1 ^= s1 << 23
    state.1 = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26)
    return state.1 &+ s0
  }

  /// A new random UUID v4 in the canonical lowercase form.
  public mutating func next() -> String {
    var a = nextWord()
    var b = nextWord()
    a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
    b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // variant 10
    var out = [UInt8](repeating: 0, count: 36)
    var k = 0
    for i in 0..<16 {
      if i == 4 || i == 6 || i == 8 || i == 10 { out[k] = UInt8(ascii: "-"); k += 1 }
      let byte = i < 8 ? UInt8(truncatingIfNeeded: a >> (56 - 8 * UInt64(i))) : UInt8(truncatingIfNeeded: b >> (56 - 8 * UInt64(i - 8)))
      out[k] = MessageIDGenerator.hex[Int(byte >> 4)]
      out[k + 1] = MessageIDGenerator.hex[Int(byte & 15)]
      k += 2
    }
    return String(decoding: out, as: UTF8.self)
  }
}
