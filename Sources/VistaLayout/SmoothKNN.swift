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

  init(_ knn: KNNGraph, localConnectivity: Double, iterations: Int = 64, bandwidth: Double = 1) {
    let n = knn.n, k = knn.k
    var rho = [Float](repeating: 0, count: n)
    var sigma = [Float](repeating: 0, count: n)
    let target = LibM.log2(Double(k)) * bandwidth
    var globalSum = 0.0
    for d in knn.distances { globalSum += Double(d) }
    let globalMean = globalSum / Double(max(knn.distances.count, 1))
    knn.distances.withUnsafeBufferPointer { dist in
      for i in 0..<n {
        let row = UnsafeBufferPointer(rebasing: dist[(i * k)..<((i + 1) * k)])
        // ρ: the local_connectivity-th smallest non-zero distance, interpolated.
        var nonZero: [Double] = []
        nonZero.reserveCapacity(k)
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
        rho[i] = Float(r)
        sigma[i] = Float(mid)
      }
    }
    self.rho = rho
    self.sigma = sigma
  }
}
