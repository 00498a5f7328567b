#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The C math library under names no other module shadows: a file that imports Foundation for
/// `pow` also gets Foundation's `Progress`, which hides VistaCore's. One place for every module.
public enum LibM {
  @inlinable public static func log2(_ x: Double) -> Double { libmLog2(x) }
  @inlinable public static func exp(_ x: Double) -> Double { libmExp(x) }
  @inlinable public static func log(_ x: Double) -> Double { libmLog(x) }
  @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { libmPow(x, y) }
  @inlinable public static func cos(_ x: Double) -> Double { libmCos(x) }
  @inlinable public static func sin(_ x: Double) -> Double { libmSin(x) }
  @inlinable public static func atan2(_ y: Double, _ x: Double) -> Double { libmAtan2(y, x) }
}

// Module-scope forwarders: inside `LibM` the bare names would resolve to its own members.
@usableFromInline func libmLog2(_ x: Double) -> Double { log2(x) }
@usableFromInline func libmExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func libmLog(_ x: Double) -> Double { log(x) }
@usableFromInline func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@usableFromInline func libmCos(_ x: Double) -> Double { cos(x) }
@usableFromInline func libmSin(_ x: Double) -> Double { sin(x) }
@usableFromInline func libmAtan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
