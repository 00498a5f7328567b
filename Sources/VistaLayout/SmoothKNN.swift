import VistaCore
/// umap-learn's `smooth_knn_dist`: per point, the distance to the nearest neighbour (ρ) and a
/// bandwidth σ such that Σ_{j≥1} exp(−max(0, d_ij − ρ_i)/σ_i) = log₂(k)·bandwidth.
///
/// Column 0 of each row is skipped in the sum, as in umap-learn (it holds self when the graph
/// includes self).
struct SmoothKNN {
  var rho: [Float]
  var sigma: [Float]

  static let tolerance = 1e-5
  static let minimumDistanceScale = 1e-3

  /// Rows in parallel: a row's ρ and σ depend on that row alone (and the mean of all distances),
  /// so any thread count gives the same values. The bisection's exponentials, row after row, were
  /// most of the graph stage at 70,000 points.
  init(_ knn: KNNGraph, localConnectivity: Double, iterations: Int = 64, bandwidth: Double = 1, threads: Int = 1) {
    let n = knn.n, k = knn.k
    var rho = [Float](repeating: 0, count: n)
    var sigma = [Float](repeating: 0, count: n)
    let target = LibM.log2(Double(k)) * bandwidth
    var globalSum = 0.0
    for d in knn.distances { globalSum += Double(d) }
    let globalMean = globalSum / Double(max(knn.distances.count, 1))
    let chunk = 256
    knn.distances.withUnsafeBufferPointer { dist in
      rho.withUnsafeMutableBufferPointer { rho in
        sigma.withUnsafeMutableBufferPointer { sigma in
          parallelFor((n + chunk - 1) / chunk, threads: threads) { c in
            var nonZero: [Double] = []
            nonZero.reserveCapacity(k)
            for i in (c * chunk)..<min(n, (c + 1) * chunk) {
              (rho[i], sigma[i]) = SmoothKNN.row(
                UnsafeBufferPointer(rebasing: dist[(i * k)..<((i + 1) * k)]), localConnectivity: localConnectivity,
                target: target, globalMean: globalMean, iterations: iterations, nonZero: &nonZero)
            }
          }
        }
      }
    }
    self.rho = rho
    self.sigma = sigma
  }

  /// ρ and σ of one row of distances (`nonZero` is the caller's scratch).
  static func row(_ row: UnsafeBufferPointer<Float>, localConnectivity: Double, target: Double, globalMean: Double,
                  iterations: Int, nonZero: inout [Double]) -> (Float, Float) {
    let k = row.count
    // ρ: the local_connectivity-th smallest non-zero distance, interpolated.
    nonZero.removeAll(keepingCapacity: true)
    for d in row where d > 0 { nonZero.append(Double(d)) }
    var r = 0.0
    if Double(nonZero.count) >= localConnectivity {
      let index = Int(localConnectivity.rounded(.down))
      let interpolation = localConnectivity - Double(index)
      if index > 0 {
        r = nonZero[index - 1]
        if interpolation > SmoothKNN.tolerance {
          r += interpolation * (nonZero[index] - nonZero[index - 1])
        }
      } else {
        r = interpolation * nonZero[0]
      }
    } else if let largest = nonZero.max() {
      r = largest
    }
    // σ by bisection.
    var lo = 0.0, hi = Double.infinity, mid = 1.0
    for _ in 0..<iterations {
      var psum = 0.0
      for j in 1..<k {
        let d = Double(row[j]) - r
        psum += d > 0 ? LibM.exp(-(d / mid)) : 1
      }
      if abs(psum - target) < SmoothKNN.tolerance { break }
      if psum > target {
        hi = mid
        mid = (lo + hi) / 2
      } else {
        lo = mid
        if hi == .infinity { mid *= 2 } else { mid = (lo + hi) / 2 }
      }
    }
    var rowMean = 0.0
    for d in row { rowMean += Double(d) }
    rowMean /= Double(k)
    if r > 0 {
      mid = max(mid, SmoothKNN.minimumDistanceScale * rowMean)
    } else {
      mid = max(mid, SmoothKNN.minimumDistanceScale * globalMean)
    }
    return (Float(r), Float(mid))
  }
}
