#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// libm functions under names that do not clash with Foundation (whose `Progress` would shadow
/// VistaCore's in files that import it), plus the fast float approximations the SGD uses.
enum LayoutMath {
  @inline(__always) static func log2(_ x: Double) -> Double { Glibc.log2(x) }
  @inline(__always) static func exp(_ x: Double) -> Double { Glibc.exp(x) }
  @inline(__always) static func log(_ x: Double) -> Double { Glibc.log(x) }
  @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
  @inline(__always) static func cos(_ x: Double) -> Double { Glibc.cos(x) }
  @inline(__always) static func sin(_ x: Double) -> Double { Glibc.sin(x) }
  @inline(__always) static func atan2(_ y: Double, _ x: Double) -> Double { Glibc.atan2(y, x) }
  @inline(__always) static func powf(_ x: Float, _ y: Float) -> Float { Glibc.powf(x, y) }
}
