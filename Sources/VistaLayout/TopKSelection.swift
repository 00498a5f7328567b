/// Keeps the k smallest (distance, index) pairs seen, as a bounded max-heap.
///
/// Ordering is lexicographic on (distance, index), so ties go to the smaller index and the result
/// does not depend on the order candidates arrive in.
struct TopKSelection {
  let k: Int
  private(set) var distances: UnsafeMutablePointer<Float>
  private(set) var indices: UnsafeMutablePointer<Int32>
  private(set) var count = 0

  /// Wraps caller-owned buffers of `k` entries.
  init(k: Int, distances: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
    self.k = k
    self.distances = distances
    self.indices = indices
  }

  @inline(__always) static func less(_ d1: Float, _ i1: Int32, _ d2: Float, _ i2: Int32) -> Bool {
    d1 < d2 || (d1 == d2 && i1 < i2)
  }

  /// The current worst kept distance (+∞ until full).
  @inline(__always) var bound: Float { count < k ? .infinity : distances[0] }

  /// Offers a candidate; returns true if it was kept.
  @inline(__always) @discardableResult
  mutating func offer(_ d: Float, _ i: Int32) -> Bool {
    if count < k {
      var c = count
      count += 1
      while c > 0 {
        let parent = (c - 1) / 2
        if TopKSelection.less(distances[parent], indices[parent], d, i) {
          distances[c] = distances[parent]; indices[c] = indices[parent]; c = parent
        } else { break }
      }
      distances[c] = d; indices[c] = i
      return true
    }
    guard TopKSelection.less(d, i, distances[0], indices[0]) else { return false }
    siftDownFromRoot(d, i)
    return true
  }

  @inline(__always) private mutating func siftDownFromRoot(_ d: Float, _ i: Int32) {
    var c = 0
    while true {
      let l = 2 * c + 1
      if l >= count { break }
      var m = l
      let r = l + 1
      if r < count && TopKSelection.less(distances[l], indices[l], distances[r], indices[r]) { m = r }
      if TopKSelection.less(d, i, distances[m], indices[m]) {
        distances[c] = distances[m]; indices[c] = indices[m]; c = m
      } else { break }
    }
    distances[c] = d; indices[c] = i
  }

  /// Sorts the kept entries ascending in place (destroys the heap order).
  mutating func sortAscending() {
    var n = count
    while n > 1 {
      let d = distances[n - 1], i = indices[n - 1]
      distances[n - 1] = distances[0]; indices[n - 1] = indices[0]
      n -= 1
      let saved = count
      count = n
      siftDownFromRoot(d, i)
      count = saved
    }
  }
}
