import Foundation
import COpenBLAS

/// Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) detects recent Xeons as "Prescott" and runs sgemm ~8x
/// slower. `OPENBLAS_CORETYPE` is read in a library constructor before `main`, so the fix is to
/// re-exec once with it set. Call `ensureFastKernel()` first thing in `main`.
public enum OpenBLASCoreType {
  /// The core type to force for this CPU, or nil if OpenBLAS already picked a fast kernel.
  ///
  /// Besides the "Prescott" misdetection, 0.3.21 picks "Cooperlake" on AVX-512 AMD EPYC parts, whose sgemm
  /// measured 10-50% below the SkylakeX kernel on the same machine (bench/encoder/run.sh), so that is forced too.
  public static func preferredCoreType(cpuFlags: Set<String>, detected: String) -> String? {
    let name = detected.lowercased()
    let avx512 = cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl")
    if name == "cooperlake" && avx512 { return "SkylakeX" }
    guard name == "prescott" || name == "unknown" else { return nil }
    if avx512 { return "SkylakeX" }
    if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
    if cpuFlags.contains("avx") { return "Sandybridge" }
    return nil
  }

  /// The core type to force on this machine (what `ensureFastKernel()` sets and `vista install` writes into the
  /// kernelspec's env), or nil if OpenBLAS already picked a fast kernel.
  public static func preferredCoreType() -> String? {
    preferredCoreType(cpuFlags: cpuFlags(), detected: BLAS.coreName)
  }

  /// The CPU flags from procfs (empty where there is none).
  public static func cpuFlags() -> Set<String> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
    for line in text.split(separator: "\n") where line.hasPrefix("flags") {
      if let colon = line.firstIndex(of: ":") {
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
      }
    }
    return []
  }

  /// Re-executes the current process with `OPENBLAS_CORETYPE` set when OpenBLAS picked a slow kernel.
  /// Does nothing when the variable is already set (the user's choice wins) or on success returns never.
  public static func ensureFastKernel() {
    let env = ProcessInfo.processInfo.environment
    if env["OPENBLAS_CORETYPE"] != nil || env["VISTA_NO_REEXEC"] != nil { return }
    guard let forced = preferredCoreType() else { return }
    setenv("OPENBLAS_CORETYPE", forced, 1)
    let args = CommandLine.arguments
    var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
    cArgs.append(nil)
    execv("/proc/self/exe", &cArgs)
    // execv only returns on failure: carry on with the slow kernel.
  }
}
