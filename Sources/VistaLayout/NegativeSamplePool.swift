import VistaCore

/// The tails' positions in a fresh random order each epoch, laid out so that the SGD takes a head's
/// negative samples as a run of consecutive entries from one random start: contiguous vector loads
/// instead of one random gather per sample.
///
/// Each negative sample is still a uniformly random tail (every entry of the arrangement is one
/// tail, and the start is uniform), so the repulsion a head feels has the same expectation as with
/// independent draws; the samples of one run are distinct tails instead of independent ones,
/// which for a handful of samples among thousands of tails is immaterial. The order of epoch e is
/// a fixed random permutation composed with a random affine map j ↦ (m·j + c) mod n, m coprime to
/// n: a new order each epoch for O(n) work, no shuffle.
struct NegativeSamplePool {
  let count: Int
  private let permutation: [Int32]
  private let seed: UInt64
  /// Coordinates of each entry, then `padding` entries repeating the first ones, so that a run may
  /// be read in whole vectors past its end. Raw buffers, so that the SGD's threads read them across
  /// epochs while `arrange` rewrites them between epochs; freed by `release`.
  let x: UnsafeMutablePointer<Float>
  let y: UnsafeMutablePointer<Float>

  /// Entries past the last (a multiple of the widest vector, 16 floats).
  static let padding = 16

  /// `count` rounded up to whole vectors.
  static func roundedUp(_ count: Int) -> Int { (count + padding - 1) / padding * padding }

  init(count: Int, seed: UInt64) {
    self.count = count
    self.seed = seed
    var rng = SeededGenerator.stream(seed: seed, index: 0x4E45_4741)
    var order = (0..<count).map { Int32($0) }
    for i in stride(from: count - 1, to: 0, by: -1) {
      order.swapAt(i, uniformIndex(rng.next(), count: i + 1))
    }
    permutation = order
    let entries = count + NegativeSamplePool.padding
    x = .allocate(capacity: entries)
    y = .allocate(capacity: entries)
    x.initialize(repeating: 0, count: entries)
    y.initialize(repeating: 0, count: entries)
  }

  func release() {
    x.deallocate()
    y.deallocate()
  }

  /// Lays out the tails at `positions` (count × 2, row-major) in epoch `epoch`'s order.
  func arrange(_ positions: UnsafePointer<Float>, epoch: Int) {
    let n = count
    var rng = SeededGenerator.stream(seed: seed ^ 0x4E45_4741, index: UInt64(epoch))
    var multiplier = 1
    if n > 2 {
      repeat { multiplier = 1 + uniformIndex(rng.next(), count: n - 1) } while greatestCommonDivisor(multiplier, n) != 1
    }
    var index = uniformIndex(rng.next(), count: n)
    permutation.withUnsafeBufferPointer { perm in
      for j in 0..<n {
        let id = Int(perm[index])
        x[j] = positions[2 * id]
        y[j] = positions[2 * id + 1]
        index += multiplier
        if index >= n { index -= n }
      }
    }
    for j in n..<(n + NegativeSamplePool.padding) {
      x[j] = x[j % n]
      y[j] = y[j % n]
    }
  }
}

func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
  var (a, b) = (a, b)
  while b != 0 { (a, b) = (b, a % b) }
  return a
}
