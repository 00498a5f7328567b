/// Element types VISTA reads from `.npy`, `.npz` and `.safetensors`; stored little-endian.
public enum TensorDType: String, Sendable, CaseIterable {
  case float16 = "F16"
  case bfloat16 = "BF16"
  case float32 = "F32"
  case float64 = "F64"
  case int32 = "I32"
  case int64 = "I64"

  public var byteSize: Int {
    switch self {
    case .float16, .bfloat16: return 2
    case .float32, .int32: return 4
    case .float64, .int64: return 8
    }
  }

  /// The safetensors dtype name ("F32" ...).
  public var safetensorsName: String { rawValue }

  public init?(safetensorsName: String) { self.init(rawValue: safetensorsName) }

  /// The numpy `descr` ("<f4" ...); bfloat16 has none.
  public var numpyDescr: String? {
    switch self {
    case .float16: return "<f2"
    case .float32: return "<f4"
    case .float64: return "<f8"
    case .int32: return "<i4"
    case .int64: return "<i8"
    case .bfloat16: return nil
    }
  }

  /// Parses a little-endian (or byte-order-free) numpy `descr`; nil for anything else.
  public init?(numpyDescr descr: String) {
    switch descr {
    case "<f2", "|f2", "=f2": self = .float16
    case "<f4", "|f4", "=f4": self = .float32
    case "<f8", "|f8", "=f8": self = .float64
    case "<i4", "|i4", "=i4": self = .int32
    case "<i8", "|i8", "=i8": self = .int64
    default: return nil
    }
  }
}

/// IEEE half and bfloat16 to Float by bit manipulation (portable: no reliance on `Float16` availability).
enum HalfPrecision {
  @inline(__always) static func float(fromHalf bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    if exponent == 0 {
      if mantissa == 0 { return Float(bitPattern: sign) }
      // Subnormal half: value = mantissa * 2^-24.
      let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
      return sign == 0 ? magnitude : -magnitude
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
  }

  @inline(__always) static func float(fromBFloat16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
