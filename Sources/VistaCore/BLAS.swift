import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Thin, typed wrappers over the few BLAS calls VISTA needs. Everything that is a matrix product goes here.
public enum BLAS {
  /// C = alpha * op(A) * op(B) + beta * C for row-major matrices.
  ///
  /// - Parameters: `a` is m x k (or k x m when `transposeA`), `b` is k x n (or n x k when `transposeB`).
  public static func gemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha,
      a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), beta, c, Int32(n))
  }

  /// The product of two dense matrices, `a * b` (or with either transposed).
  public static func multiply(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let n = transposeB ? b.rows : b.cols
    precondition(k == (transposeB ? b.cols : b.rows), "inner dimensions differ")
    var c = Matrix(rows: m, cols: n)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        c.storage.withUnsafeMutableBufferPointer { pc in
          gemm(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m: m, n: n, k: k,
               transposeA: transposeA, transposeB: transposeB)
        }
      }
    }
    return c
  }

  /// The OpenBLAS kernel in use ("SkylakeX", "Haswell", "Prescott" ...). "Prescott" means no AVX: slow.
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  public static var threadCount: Int { Int(openblas_get_num_threads()) }

  public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }

  /// Stops OpenBLAS's worker threads until a call needs them again (OpenBLAS then starts them anew).
  ///
  /// OpenBLAS (pthreads build) starts its workers when the library loads, and an idle worker spins,
  /// yielding, for about 0.1 s before it sleeps: on a 2-core machine that took a core from the first
  /// tenth of a second of every run (a 4,000-point layout, which calls no BLAS at all: 0.31 → 0.29 s).
  /// Call only while no other thread can be inside OpenBLAS: first thing in a command. The one-shot
  /// CLI commands (`vista layout`, `vista gain`) do; the kernel, which lives long enough for the spin
  /// not to matter, does not. Looked up at run time, as not every OpenBLAS build exports it; without
  /// it this does nothing.
  public static func parkIdleThreads() {
    #if os(Linux)
    guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
    typealias Shutdown = @convention(c) () -> Int32
    _ = unsafeBitCast(symbol, to: Shutdown.self)()
    #endif
  }
}
