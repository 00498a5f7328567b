#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// libm functions under names that do not clash with Foundation, whose `Progress` would shadow
/// VistaCore's in every file that imports it.
enum LayoutMath {
  @inline(__always) static func log2(_ x: Double) -> Double { libmLog2(x) }
  @inline(__always) static func exp(_ x: Double) -> Double { libmExp(x) }
  @inline(__always) static func log(_ x: Double) -> Double { libmLog(x) }
  @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { libmPow(x, y) }
  @inline(__always) static func cos(_ x: Double) -> Double { libmCos(x) }
  @inline(__always) static func sin(_ x: Double) -> Double { libmSin(x) }
  @inline(__always) static func atan2(_ y: Double, _ x: Double) -> Double { libmAtan2(y, x) }
}

// Module-scope forwarders: inside `LayoutMath` the bare names would resolve to its own members.
@inline(__always) private func libmLog2(_ x: Double) -> Double { log2(x) }
@inline(__always) private func libmExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libmLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func libmCos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func libmSin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func libmAtan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
