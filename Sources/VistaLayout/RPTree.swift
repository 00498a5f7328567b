import VistaCore

/// Random-projection trees: recursive random hyperplane splits whose leaves hold points that are
/// likely near each other, the initial candidate neighbours for NN-descent (as pynndescent does).
///
/// Euclidean splits use the perpendicular bisector of two random points; every other metric splits
/// by angle (hyperplane through the origin between the two unit vectors), on the prepared rows.
struct RPTreeForest {
  /// Each leaf's point indices, across all trees.
  let leaves: [[Int32]]
  /// Every point once, leaf by leaf of the first tree: nearby points come together, so visiting
  /// points in this order reuses the rows already in cache (nil when there are no trees).
  let localityOrder: [Int32]?

  init(rows: PreparedRows, trees: Int, leafSize: Int, seed: UInt64, threads: Int) {
    var perTree = [[[Int32]]](repeating: [], count: trees)
    perTree.withUnsafeMutableBufferPointer { out in
      parallelFor(trees, threads: threads) { t in
        var rng = SeededGenerator.stream(seed: seed, index: UInt64(t))
        var leaves: [[Int32]] = []
        var stack: [[Int32]] = [(0..<rows.count).map { Int32($0) }]
        var normal = [Float](repeating: 0, count: rows.dimension)
        while let node = stack.popLast() {
          if node.count <= leafSize {
            leaves.append(node)
            continue
          }
          let (left, right) = RPTreeForest.split(node, rows: rows, normal: &normal, rng: &rng)
          stack.append(right)
          stack.append(left)
        }
        out[t] = leaves
      }
    }
    leaves = perTree.flatMap { $0 }
    localityOrder = perTree.first.map { $0.flatMap { $0 } }
  }

  /// Splits `node` by a random hyperplane; a degenerate split (all on one side) becomes a random halving.
  static func split(_ node: [Int32], rows: PreparedRows, normal: inout [Float],
                    rng: inout SeededGenerator) -> ([Int32], [Int32]) {
    let a = Int(node[Int(rng.next() % UInt64(node.count))])
    var b = Int(node[Int(rng.next() % UInt64(node.count - 1))])
    if b == a { b = Int(node[node.count - 1]) }
    let euclidean = rows.metric == .euclidean
    for c in 0..<normal.count { normal[c] = 0 }
    var offset: Float = 0
    switch rows.storage {
    case .dense(let m):
      m.storage.withUnsafeBufferPointer { p in
        normal.withUnsafeMutableBufferPointer { nrm in
          let x = p.baseAddress! + a * m.cols, y = p.baseAddress! + b * m.cols
          for c in 0..<m.cols {
            nrm[c] = x[c] - y[c]
            if euclidean { offset -= (x[c] - y[c]) * (x[c] + y[c]) / 2 }
          }
        }
      }
    case .sparse(let s):
      for e in s.rowPointers[a]..<s.rowPointers[a + 1] { normal[Int(s.columnIndices[e])] += s.values[e] }
      for e in s.rowPointers[b]..<s.rowPointers[b + 1] { normal[Int(s.columnIndices[e])] -= s.values[e] }
      if euclidean {
        offset = -(rows.squaredNorms[a] - rows.squaredNorms[b]) / 2
      }
    }
    var left: [Int32] = [], right: [Int32] = []
    left.reserveCapacity(node.count)
    right.reserveCapacity(node.count)
    // The storage switch is hoisted out of the per-point loop: matching it per point retains and
    // releases the matrix each time (it was half of NN-descent's time on 70,000 × 784).
    var margins = [Float](repeating: offset, count: node.count)
    normal.withUnsafeBufferPointer { nrm in
      margins.withUnsafeMutableBufferPointer { out in
        switch rows.storage {
        case .dense(let m):
          m.storage.withUnsafeBufferPointer { p in
            for (e, i32) in node.enumerated() {
              out[e] += wideDotProduct(p.baseAddress! + Int(i32) * m.cols, nrm.baseAddress!, m.cols)
            }
          }
        case .sparse(let s):
          s.rowPointers.withUnsafeBufferPointer { rp in
            s.columnIndices.withUnsafeBufferPointer { ci in
              s.values.withUnsafeBufferPointer { v in
                for (e, i32) in node.enumerated() {
                  let i = Int(i32)
                  var acc: Float = 0
                  for f in rp[i]..<rp[i + 1] { acc += v[f] * nrm[Int(ci[f])] }
                  out[e] += acc
                }
              }
            }
          }
        }
      }
    }
    for (e, i32) in node.enumerated() {
      let margin = margins[e]
      if margin > 0 || (margin == 0 && rng.next() & 1 == 0) { left.append(i32) } else { right.append(i32) }
    }
    if left.isEmpty || right.isEmpty {
      var shuffled = node
      shuffled.shuffle(using: &rng)
      let half = shuffled.count / 2
      return (Array(shuffled[..<half]), Array(shuffled[half...]))
    }
    return (left, right)
  }
}
