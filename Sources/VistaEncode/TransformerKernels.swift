import COpenBLAS
import Foundation

/// The element-wise pieces of a BERT layer, over contiguous row-major buffers.
enum TransformerKernels {
  /// y = x W^T + b for `rows` rows: x is rows x inDim, W is outDim x inDim (PyTorch Linear layout).
  static func linear(_ x: UnsafePointer<Float>, rows: Int, inDim: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                     outDim: Int, into y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows { (y + r * outDim).update(from: bias, count: outDim) }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outDim), Int32(inDim), 1,
                x, Int32(inDim), weight, Int32(inDim), 1, y, Int32(outDim))
  }

  /// x = LayerNorm(x + residual) per row, in place in x.
  static func addAndNormalize(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Int, dim: Int,
                              gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
    for r in 0..<rows {
      let row = x + r * dim
      if let residual {
        let res = residual + r * dim
        for i in 0..<dim { row[i] += res[i] }
      }
      var mean: Float = 0
      for i in 0..<dim { mean += row[i] }
      mean /= Float(dim)
      var variance: Float = 0
      for i in 0..<dim { let d = row[i] - mean; variance += d * d }
      variance /= Float(dim)
      let inv = 1 / (variance + epsilon).squareRoot()
      for i in 0..<dim { row[i] = (row[i] - mean) * inv * gamma[i] + beta[i] }
    }
  }

  /// GELU with the exact erf form, 0.5 x (1 + erf(x / sqrt 2)), through a rational erf (|error| < 2e-7).
  static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
    let invSqrt2: Float = 0.70710678118654752
    for i in 0..<count {
      let v = x[i]
      x[i] = 0.5 * v * (1 + erf(v * invSqrt2))
    }
  }

  /// erf(x) as x P(x^2) / Q(x^2) on [-4, 4] (erf is +-1 to float precision beyond); vectorisable, no libm call.
  @inline(__always) static func erf(_ input: Float) -> Float {
    let x = min(max(input, -4), 4)
    let x2 = x * x
    var p: Float = -2.72614225801306e-10
    p = p * x2 + 2.77068142495902e-08
    p = p * x2 - 2.10102402082508e-06
    p = p * x2 - 5.69250639462346e-05
    p = p * x2 - 7.34990630326855e-04
    p = p * x2 - 2.95459980854025e-03
    p = p * x2 - 1.60960333262415e-02
    var q: Float = -1.45660718464996e-05
    q = q * x2 - 2.13374055278905e-04
    q = q * x2 - 1.68282697438203e-03
    q = q * x2 - 7.37332916720468e-03
    q = q * x2 - 1.42647390514189e-02
    return x * p / q
  }

  /// Numerically stable softmax of each of `rows` rows of length `cols` (stride `stride`), in place.
  static func softmaxRows(_ s: UnsafeMutablePointer<Float>, rows: Int, cols: Int, stride: Int) {
    for r in 0..<rows {
      let row = s + r * stride
      var m = -Float.infinity
      for j in 0..<cols { m = max(m, row[j]) }
      var sum: Float = 0
      for j in 0..<cols { let e = expf(row[j] - m); row[j] = e; sum += e }
      let inv = 1 / sum
      for j in 0..<cols { row[j] *= inv }
    }
  }
}
