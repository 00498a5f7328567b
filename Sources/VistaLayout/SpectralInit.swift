import COpenBLAS
import VistaCore

/// umap-learn's spectral initialisation: the eigenvectors of the normalised Laplacian
/// L = I − D^{−1/2} W D^{−1/2} for the 2nd and 3rd smallest eigenvalues.
///
/// Those are the largest non-trivial eigenvectors of M = D^{−1/2} W D^{−1/2}. We find them with
/// Lanczos on M (sparse matrix-vector products only, full reorthogonalisation, the trivial
/// eigenvector √D deflated), solving the small tridiagonal problem with LAPACK's `dstevr_`. A
/// graph with several connected components gets umap-learn's meta layout: each component laid
/// out on its own, scaled into half the gap to its nearest neighbour component and placed at
/// ±e_i (≤ 4 components) or on a sunflower spiral ordered by size (more). Components too small for
/// an eigenproblem, and a failed solve, get a seeded uniform layout.
enum SpectralInit {
  static let dimension = 2

  /// The n × 2 initial layout, scaled so max |coordinate| = 10, plus N(0, 1e-4) noise (umap-learn's
  /// "noisy scale"), and how many connected components the graph has.
  static func layout(graph: WeightedGraph, seed: UInt64, progress: Progress) throws -> (Matrix, components: Int) {
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
    return (result, components.count)
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
    // Basis vectors stored row after row: reorthogonalisation is two matrix-vector products.
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
              GramSchmidt.subtractProjections(pw.baseAddress!, basis: b.baseAddress!, count: basisCount, size: size,
                                              coefficients: pc.baseAddress!)
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
  ///
  /// LAPACK's `dstevr_` works on the two diagonals themselves (the dense `dsyevr_` first reduced
  /// an already tridiagonal matrix through threaded `dsymv` calls, which woke OpenBLAS's threads).
  static func tridiagonalTop(alphas: [Double], betas: [Double], count: Int) -> (values: [Double], vectors: [Double])? {
    var n = Int32(alphas.count)
    var diagonal = alphas
    var offDiagonal = [Double](repeating: 0, count: Int(n))
    for i in 0..<max(0, Int(n) - 1) { offDiagonal[i] = betas[i] }
    // A workspace query (lwork = −1) only sizes the work arrays: the diagonals stay as they are.
    var jobz = Int8(UInt8(ascii: "V")), range = Int8(UInt8(ascii: "I"))
    var vl = 0.0, vu = 0.0, il = n - Int32(count) + 1, iu = n, abstol = 0.0
    var found: Int32 = 0
    var w = [Double](repeating: 0, count: Int(n))
    var z = [Double](repeating: 0, count: Int(n) * count)
    var ldz = n
    var isuppz = [Int32](repeating: 0, count: 2 * Int(n))
    var info: Int32 = 0
    var lwork: Int32 = -1, liwork: Int32 = -1
    var workQuery = 0.0
    var iworkQuery: Int32 = 0
    dstevr_(&jobz, &range, &n, &diagonal, &offDiagonal, &vl, &vu, &il, &iu, &abstol, &found, &w, &z, &ldz, &isuppz,
            &workQuery, &lwork, &iworkQuery, &liwork, &info)
    guard info == 0 else { return nil }
    lwork = Int32(workQuery)
    liwork = iworkQuery
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    dstevr_(&jobz, &range, &n, &diagonal, &offDiagonal, &vl, &vu, &il, &iu, &abstol, &found, &w, &z, &ldz, &isuppz,
            &work, &lwork, &iwork, &liwork, &info)
    guard info == 0, Int(found) == count else { return nil }
    // Ascending eigenvalues; reverse to largest first.
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

/// w −= Bᵀ(B w) for the first `count` rows of B (each `size` long, row after row): one step of
/// classical Gram–Schmidt against the Lanczos basis.
///
/// Plain loops rather than two `dgemv`s: OpenBLAS threads a dgemv of this size, and its idle
/// threads then spin for about 0.1 s after the last call — into the SGD, which needs both cores
/// (4,000 points: the SGD took 0.25–0.30 s with them spinning, 0.20 s without). One thread: the
/// passes are bound by memory, and splitting them was no faster (70,000 points: initialisation
/// 0.24 s on one thread, 0.24–0.29 s on two, 0.22–0.25 s with OpenBLAS's dgemv). Four rows of B
/// at a time, so each load of w serves four of them; every coefficient is one dot product in
/// order and every entry of w one sum over the basis in order.
enum GramSchmidt {
  static func subtractProjections(_ w: UnsafeMutablePointer<Double>, basis: UnsafePointer<Double>, count: Int, size: Int,
                                  coefficients c: UnsafeMutablePointer<Double>) {
    // c = B w.
    var k = 0
    while k + 4 <= count {
      dot4(basis + k * size, size, w, c + k)
      k += 4
    }
    while k < count {
      c[k] = dot(basis + k * size, w, size)
      k += 1
    }
    // w −= Bᵀc, in stretches of w that stay in L1 while the rows stream past.
    let stretch = 4_096
    for lo in stride(from: 0, to: size, by: stretch) {
      let hi = min(size, lo + stretch)
      var k = 0
      while k + 4 <= count {
        let r0 = basis + k * size, r1 = r0 + size, r2 = r1 + size, r3 = r2 + size
        let c0 = c[k], c1 = c[k + 1], c2 = c[k + 2], c3 = c[k + 3]
        for i in lo..<hi { w[i] = w[i] - c0 * r0[i] - c1 * r1[i] - c2 * r2[i] - c3 * r3[i] }
        k += 4
      }
      while k < count {
        let row = basis + k * size, ck = c[k]
        for i in lo..<hi { w[i] -= ck * row[i] }
        k += 1
      }
    }
  }

  private typealias Lanes = SIMD4<Double>

  @inline(__always) private static func load(_ p: UnsafePointer<Double>, _ i: Int) -> Lanes {
    UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
  }

  /// The dot products of four consecutive rows (from `rows`, each `size` long) with w, into out[0..<4].
  @inline(__always)
  private static func dot4(_ rows: UnsafePointer<Double>, _ size: Int, _ w: UnsafePointer<Double>,
                           _ out: UnsafeMutablePointer<Double>) {
    let r0 = rows, r1 = rows + size, r2 = r1 + size, r3 = r2 + size
    var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
    var i = 0
    while i + 4 <= size {
      let x = load(w, i)
      a0.addProduct(load(r0, i), x)
      a1.addProduct(load(r1, i), x)
      a2.addProduct(load(r2, i), x)
      a3.addProduct(load(r3, i), x)
      i += 4
    }
    var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
    while i < size {
      s0 += r0[i] * w[i]; s1 += r1[i] * w[i]; s2 += r2[i] * w[i]; s3 += r3[i] * w[i]
      i += 1
    }
    out[0] = s0; out[1] = s1; out[2] = s2; out[3] = s3
  }

  /// One row's dot product with w, summed as `dot4` sums each of its rows.
  @inline(__always)
  private static func dot(_ row: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ size: Int) -> Double {
    var a = Lanes()
    var i = 0
    while i + 4 <= size {
      a.addProduct(load(row, i), load(w, i))
      i += 4
    }
    var s = a.sum()
    while i < size {
      s += row[i] * w[i]
      i += 1
    }
    return s
  }
}
