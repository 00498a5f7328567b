import COpenBLAS

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
}
