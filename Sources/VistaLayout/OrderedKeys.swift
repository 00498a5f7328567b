/// (distance, index) pairs packed into one UInt64 whose integer order is the lexicographic order
/// (distance ascending, then index), so neighbour ranking with a stable tie-break is integer
/// comparison and selection.
enum OrderedKeys {
  /// Maps a float to a UInt32 with the same order (negative values included).
  @inline(__always) static func orderable(_ d: Float) -> UInt32 {
    let bits = d.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
  }

  @inline(__always) static func key(_ d: Float, _ index: Int) -> UInt64 {
    UInt64(orderable(d)) << 32 | UInt64(UInt32(index))
  }

  @inline(__always) static func index(_ key: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: key)) }

  /// Reorders `keys[0..<count]` so that position `nth` holds the element a full sort would put
  /// there, smaller ones before it and larger ones after (Hoare quickselect, median of three).
  static func select(_ keys: UnsafeMutablePointer<UInt64>, count: Int, nth: Int) {
    var lo = 0, hi = count - 1
    while hi > lo {
      if hi - lo < 16 {
        // Insertion sort for short ranges.
        for i in (lo + 1)...hi {
          let v = keys[i]
          var j = i - 1
          while j >= lo && keys[j] > v { keys[j + 1] = keys[j]; j -= 1 }
          keys[j + 1] = v
        }
        return
      }
      let mid = lo + (hi - lo) / 2
      if keys[mid] < keys[lo] { swapAt(keys, mid, lo) }
      if keys[hi] < keys[lo] { swapAt(keys, hi, lo) }
      if keys[hi] < keys[mid] { swapAt(keys, hi, mid) }
      let pivot = keys[mid]
      var i = lo, j = hi
      while i <= j {
        while keys[i] < pivot { i += 1 }
        while keys[j] > pivot { j -= 1 }
        if i <= j { swapAt(keys, i, j); i += 1; j -= 1 }
      }
      if nth <= j { hi = j } else if nth >= i { lo = i } else { return }
    }
  }

  @inline(__always) static func swapAt(_ p: UnsafeMutablePointer<UInt64>, _ a: Int, _ b: Int) {
    let t = p[a]; p[a] = p[b]; p[b] = t
  }
}
