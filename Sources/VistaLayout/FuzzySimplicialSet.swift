import VistaCore
/// umap-learn's `fuzzy_simplicial_set`: directed memberships from the smoothed kNN distances,
/// symmetrised as G = mix·(A + Aᵀ − A∘Aᵀ) + (1 − mix)·(A∘Aᵀ) (mix = set_op_mix_ratio: 1 is the
/// fuzzy union, 0 the intersection), explicit zeros dropped.
enum FuzzySimplicialSet {
  /// The directed membership graph A (rows = points, weights exp(−(d − ρ)/σ), self excluded).
  /// With `bipartite`, the kNN points into another set and nothing is excluded (transform).
  static func memberships(_ knn: KNNGraph, smooth: SmoothKNN, columns: Int, bipartite: Bool,
                          threads: Int = 1) -> WeightedGraph {
    let k = knn.k
    return WeightedGraph.byRows(rows: knn.n, cols: columns, threads: threads) { i, cols, ws in
      // The row's (column, weight) pairs sorted by column, in scratch on the stack (k entries).
      withUnsafeTemporaryAllocation(of: (Int32, Float).self, capacity: k) { scratch in
        var count = 0
        for e in 0..<k {
          let j = knn.indices[i * k + e]
          if j < 0 { continue }
          if !bipartite && Int(j) == i { continue }
          let d = knn.distances[i * k + e]
          let w: Float
          if d - smooth.rho[i] <= 0 || smooth.sigma[i] == 0 {
            w = 1
          } else {
            w = Float(LibM.exp(-Double(d - smooth.rho[i]) / Double(smooth.sigma[i])))
          }
          scratch.baseAddress!.advanced(by: count).initialize(to: (j, w))
          count += 1
        }
        var row = UnsafeMutableBufferPointer(rebasing: scratch[..<count])
        row.sort { $0.0 < $1.0 }
        var last: Int32 = -1
        for (j, w) in row where j != last {
          if w > 0 { cols.append(j); ws.append(w) }
          last = j
        }
      }
    }
  }

  /// The symmetric fuzzy set of a kNN graph (n × n).
  static func build(_ knn: KNNGraph, setOpMixRatio mix: Float, localConnectivity: Double, threads: Int = 1) -> WeightedGraph {
    let smooth = SmoothKNN(knn, localConnectivity: localConnectivity, threads: threads)
    let a = memberships(knn, smooth: smooth, columns: knn.n, bipartite: false, threads: threads)
    let at = a.transposed()
    return WeightedGraph.byRows(rows: a.rows, cols: a.rows, threads: threads) { i, cols, ws in
      var e = a.rowPointers[i], f = at.rowPointers[i]
      let endE = a.rowPointers[i + 1], endF = at.rowPointers[i + 1]
      while e < endE || f < endF {
        let ce = e < endE ? a.columns[e] : Int32.max
        let cf = f < endF ? at.columns[f] : Int32.max
        var x: Float = 0, y: Float = 0
        let c = min(ce, cf)
        if ce == c { x = a.weights[e]; e += 1 }
        if cf == c { y = at.weights[f]; f += 1 }
        let product = x * y
        let w = mix * (x + y - product) + (1 - mix) * product
        if w > 0 { cols.append(c); ws.append(w) }
      }
    }
  }
}
