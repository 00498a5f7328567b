import Foundation
import VistaCore

// sgemm GFLOP/s at a few shapes: the square reference and the encoder's own GEMM shapes.
// Run twice, with and without OPENBLAS_CORETYPE=SkylakeX (VISTA_NO_REEXEC=1 keeps the detected core).
let shapes: [(String, Int, Int, Int)] = [
  ("square 2048", 2048, 2048, 2048),
  ("MiniLM QKV (4096 tokens)", 4096, 1152, 384),
  ("MiniLM FFN up (4096 tokens)", 4096, 1536, 384),
  ("MiniLM FFN down (4096 tokens)", 4096, 384, 1536),
  ("SAE 2048 x 2304 -> 16384", 2048, 16384, 2304),
]
print("OpenBLAS core: \(BLAS.coreName), threads \(BLAS.threadCount)")
for (label, m, n, k) in shapes {
  var generator = SeededGenerator(seed: 7)
  let a = (0..<(m * k)).map { _ in generator.nextUnitFloat() - 0.5 }
  let b = (0..<(k * n)).map { _ in generator.nextUnitFloat() - 0.5 }
  var c = [Float](repeating: 0, count: m * n)
  var best = 0.0
  for _ in 0..<3 {
    let start = DispatchTime.now().uptimeNanoseconds
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
      BLAS.gemm(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m: m, n: n, k: k)
    } } }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    best = max(best, 2.0 * Double(m) * Double(n) * Double(k) / seconds / 1e9)
  }
  print(label.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%7.1f GFLOP/s (best of 3)", best))
}
