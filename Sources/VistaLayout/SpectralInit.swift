import COpenBLAS
import VistaCore

/// umap-learn's spectral initialisation: the eigenvectors of the normalised Laplacian
/// L = I − D^{−1/2} W D^{−1/2} for the 2nd and 3rd smallest eigenvalues.
///
/// Those are the largest non-trivial eigenvectors of M = D^{−1/2} W D^{−1/2}. We find them with
/// Lanczos on M (sparse matrix-vector products only, full reorthogonalisation, the trivial
/// eigenvector √D deflated), solving the small tridiagonal problem with LAPACK's `dsyevr_`. A
/// graph with several connected components gets umap-learn's meta layout: each component laid
/// out on its own, scaled into half the gap to its nearest neighbour component and placed at
/// ±e_i (≤ 4 components) or on a sunflower spiral ordered by size (more). Components too small for
/// an eigenproblem, and a failed solve, get a seeded uniform layout.
enum SpectralInit {
  static let dimension = 2

  /// The n × 2 initial layout, scaled so max |coordinate| = 10, plus N(0, 1e-4) noise (umap-learn's
  /// "noisy scale").
  static func layout(graph: WeightedGraph, seed: UInt64, threads: Int, progress: Progress) throws -> Matrix {
    let n = graph.rows
    let components = connectedComponents(graph)
    var result = Matrix(rows: n, cols: dimension)
    var rng = SeededGenerator.stream(seed: seed, index: 0x5EC7)
    if components.count == 1 {
      result = try componentLayout(graph: graph, nodes: components[0], seed: seed, progress: progress)
    } else {
      let meta = metaPositions(count: components.count)
      for (c, nodes) in components.enumerated() {
        var gap = Double.infinity
        for (o, p) in meta.enumerated() where o != c {
          let dx = p.0 - meta[c].0, dy = p.1 - meta[c].1
          gap = min(gap, (dx * dx + dy * dy).squareRoot())
        }
        let range = gap.isFinite ? gap / 2 : 1
        let local = try componentLayout(graph: graph, nodes: nodes, seed: seed &+ UInt64(c), progress: progress)
        let peak = Double(local.storage.map { abs($0) }.max() ?? 1)
        let scale = peak > 0 ? range / peak : 0
        for (li, node) in nodes.enumerated() {
          result[node, 0] = Float(Double(local[li, 0]) * scale + meta[c].0)
          result[node, 1] = Float(Double(local[li, 1]) * scale + meta[c].1)
        }
      }
    }
    let peak = result.storage.map { abs($0) }.max() ?? 0
    let expansion: Float = peak > 0 ? 10 / peak : 1
    for e in 0..<result.storage.count {
      result.storage[e] = result.storage[e] * expansion + Float(rng.nextGaussian() * 1e-4)
    }
    return result
  }

  /// Node lists of the connected components, largest first (ties by smallest node).
  static func connectedComponents(_ graph: WeightedGraph) -> [[Int]] {
    let n = graph.rows
    var label = [Int](repeating: -1, count: n)
    var components: [[Int]] = []
    for start in 0..<n where label[start] < 0 {
      var members = [start]
      label[start] = components.count
      var head = 0
      while head < members.count {
        let v = members[head]
        head += 1
        for e in graph.rowPointers[v]..<graph.rowPointers[v + 1] {
          let u = Int(graph.columns[e])
          if label[u] < 0 { label[u] = components.count; members.append(u) }
        }
      }
      components.append(members.sorted())
    }
    return components.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
  }

  /// Where each component's layout is centred.
  static func metaPositions(count: Int) -> [(Double, Double)] {
    if count <= 2 * dimension {
      let base: [(Double, Double)] = [(1, 0), (0, 1), (-1, 0), (0, -1)]
      return Array(base.prefix(count))
    }
    let golden = Double.pi * (3 - 5.0.squareRoot())
    return (0..<count).map { c in
      let r = (Double(c) + 0.5).squareRoot()
      let t = Double(c) * golden
      return (r * cosine(t), r * sine(t))
    }
  }

  /// The spectral layout of one connected component (local rows in `nodes` order).
  static func componentLayout(graph: WeightedGraph, nodes: [Int], seed: UInt64, progress: Progress) throws -> Matrix {
    let size = nodes.count
    var out = Matrix(rows: size, cols: dimension)
    if size <= dimension + 1 {
      var rng = SeededGenerator.stream(seed: seed, index: 0xC0)
      for e in 0..<out.storage.count { out.storage[e] = rng.nextUnitFloat() * 20 - 10 }
      return out
    }
    // Local CSR of the component with D^{−1/2} W D^{−1/2} weights.
    var local = [Int](repeating: -1, count: graph.rows)
    for (li, v) in nodes.enumerated() { local[v] = li }
    var pointers = [0], cols: [Int32] = [], values: [Double] = []
    var degree = [Double](repeating: 0, count: size)
    for (li, v) in nodes.enumerated() {
      for e in graph.rowPointers[v]..<graph.rowPointers[v + 1] { degree[li] += Double(graph.weights[e]) }
    }
    let invSqrt = degree.map { $0 > 0 ? 1 / $0.squareRoot() : 0 }
    for (li, v) in nodes.enumerated() {
      for e in graph.rowPointers[v]..<graph.rowPointers[v + 1] {
        let lj = local[Int(graph.columns[e])]
        cols.append(Int32(lj))
        values.append(Double(graph.weights[e]) * invSqrt[li] * invSqrt[lj])
      }
      pointers.append(cols.count)
    }
    let total = degree.reduce(0, +)
    let trivial = degree.map { ($0 / total).squareRoot() }
    guard let vectors = try lanczosTop(size: size, pointers: pointers, cols: cols, values: values,
                                       deflate: trivial, count: dimension, seed: seed, progress: progress) else {
      var rng = SeededGenerator.stream(seed: seed, index: 0xC1)
      for e in 0..<out.storage.count { out.storage[e] = rng.nextUnitFloat() * 20 - 10 }
      return out
    }
    for li in 0..<size {
      for d in 0..<dimension { out[li, d] = Float(vectors[d][li]) }
    }
    return out
  }

  /// The `count` eigenvectors of the symmetric sparse matrix with the largest eigenvalues,
  /// orthogonal to `deflate`; nil if the Krylov space collapses before `count` vectors exist.
  static func lanczosTop(size: Int, pointers: [Int], cols: [Int32], values: [Double], deflate: [Double],
                         count: Int, seed: UInt64, progress: Progress) throws -> [[Double]]? {
    let maxSteps = min(size - 1, max(2 * count + 1, min(300, 40 + Int(Double(size).squareRoot()))))
    guard maxSteps >= count else { return nil }
    // Basis vectors stored row after row, so reorthogonalisation is two BLAS matrix-vector products.
    var basis = [Double](repeating: 0, count: (maxSteps + 1) * size)
    var basisCount = 0
    var alphas: [Double] = [], betas: [Double] = []
    var coefficients = [Double](repeating: 0, count: maxSteps + 1)
    func orthogonalise(_ w: inout [Double]) {
      for _ in 0..<2 {
        var c = 0.0
        for i in 0..<size { c += w[i] * deflate[i] }
        for i in 0..<size { w[i] -= c * deflate[i] }
        if basisCount == 0 { continue }
        basis.withUnsafeBufferPointer { b in
          w.withUnsafeMutableBufferPointer { pw in
            coefficients.withUnsafeMutableBufferPointer { pc in
              cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(basisCount), Int32(size), 1, b.baseAddress!, Int32(size),
                          pw.baseAddress!, 1, 0, pc.baseAddress!, 1)
              cblas_dgemv(CblasRowMajor, CblasTrans, Int32(basisCount), Int32(size), -1, b.baseAddress!, Int32(size),
                          pc.baseAddress!, 1, 1, pw.baseAddress!, 1)
            }
          }
        }
      }
    }
    func norm(_ w: [Double]) -> Double { w.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    // umap-learn starts ARPACK from a vector of ones. Orthogonal to √D, that vector can lie in a
    // symmetric subspace of the graph (every Krylov vector then does too, and the true top
    // eigenvectors are never found), so it gets a seeded random perturbation.
    var rng = SeededGenerator.stream(seed: seed, index: 0x1A2C)
    var start = (0..<size).map { _ in 1 + (rng.nextUnitDouble() - 0.5) }
    orthogonalise(&start)
    let startNorm = norm(start)
    guard startNorm > 0 else { return nil }
    var v = start.map { $0 / startNorm }
    var w = [Double](repeating: 0, count: size)
    var ritz: (values: [Double], vectors: [Double])? = nil
    for step in 0..<maxSteps {
      if step % 10 == 0 { try progress.checkCancelled() }
      for i in 0..<size { basis[basisCount * size + i] = v[i] }
      basisCount += 1
      // w = M v
      pointers.withUnsafeBufferPointer { p in cols.withUnsafeBufferPointer { c in values.withUnsafeBufferPointer { x in
        v.withUnsafeBufferPointer { pv in w.withUnsafeMutableBufferPointer { pw in
          for i in 0..<size {
            var s = 0.0
            for e in p[i]..<p[i + 1] { s += x[e] * pv[Int(c[e])] }
            pw[i] = s
          }
        } }
      } } }
      var alpha = 0.0
      for i in 0..<size { alpha += w[i] * v[i] }
      alphas.append(alpha)
      orthogonalise(&w)
      let beta = norm(w)
      let m = alphas.count
      let done = beta < 1e-10 || m == maxSteps
      if m >= count && (done || m % 10 == 0) {
        guard let solved = tridiagonalTop(alphas: alphas, betas: betas, count: count) else { return nil }
        ritz = solved
        // Residual of Ritz pair i is |β · s_{m,i}|.
        var converged = true
        for i in 0..<count where abs(beta * solved.vectors[i * m + (m - 1)]) > 1e-4 { converged = false }
        if converged || done { break }
      }
      if beta < 1e-10 { break }
      betas.append(beta)
      v = w.map { $0 / beta }
    }
    guard let ritz else { return nil }
    let m = alphas.count
    return (0..<count).map { i in
      var y = [Double](repeating: 0, count: size)
      for s in 0..<m {
        let coefficient = ritz.vectors[i * m + s]
        if coefficient == 0 { continue }
        for r in 0..<size { y[r] += coefficient * basis[s * size + r] }
      }
      return y
    }
  }

  /// The `count` largest eigenpairs of the symmetric tridiagonal matrix (diagonal `alphas`,
  /// off-diagonal `betas`), largest first; vectors stored one after another.
  static func tridiagonalTop(alphas: [Double], betas: [Double], count: Int) -> (values: [Double], vectors: [Double])? {
    var n = Int32(alphas.count)
    var a = [Double](repeating: 0, count: Int(n * n))
    for i in 0..<Int(n) {
      a[i * Int(n) + i] = alphas[i]
      if i + 1 < Int(n) { a[i * Int(n) + i + 1] = betas[i]; a[(i + 1) * Int(n) + i] = betas[i] }
    }
    var jobz = Int8(UInt8(ascii: "V")), range = Int8(UInt8(ascii: "I")), uplo = Int8(UInt8(ascii: "L"))
    var lda = n, vl = 0.0, vu = 0.0, il = n - Int32(count) + 1, iu = n, abstol = 0.0
    var found: Int32 = 0
    var w = [Double](repeating: 0, count: Int(n))
    var z = [Double](repeating: 0, count: Int(n) * count)
    var ldz = n
    var isuppz = [Int32](repeating: 0, count: 2 * Int(n))
    var info: Int32 = 0
    var lwork: Int32 = -1, liwork: Int32 = -1
    var workQuery = 0.0
    var iworkQuery: Int32 = 0
    dsyevr_(&jobz, &range, &uplo, &n, &a, &lda, &vl, &vu, &il, &iu, &abstol, &found, &w, &z, &ldz, &isuppz,
            &workQuery, &lwork, &iworkQuery, &liwork, &info)
    guard info == 0 else { return nil }
    lwork = Int32(workQuery)
    liwork = iworkQuery
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    dsyevr_(&jobz, &range, &uplo, &n, &a, &lda, &vl, &vu, &il, &iu, &abstol, &found, &w, &z, &ldz, &isuppz,
            &work, &lwork, &iwork, &liwork, &info)
    guard info == 0, Int(found) == count else { return nil }
    // dsyevr returns ascending eigenvalues; reverse to largest first.
    var values: [Double] = [], vectors: [Double] = []
    for i in stride(from: count - 1, through: 0, by: -1) {
      values.append(w[i])
      vectors.append(contentsOf: z[(i * Int(n))..<((i + 1) * Int(n))])
    }
    return (values, vectors)
  }
}

@inline(__always) func cosine(_ x: Double) -> Double { LibM.cos(x) }
@inline(__always) func sine(_ x: Double) -> Double { LibM.sin(x) }
