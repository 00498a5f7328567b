import VistaCore

/// A synthetic map input for demos, tests and benchmarks: themed caption clusters laid out as
/// Gaussian blobs, with sparse latent codes whose active latents follow the theme.
public struct MapSample: Sendable {
  public var positions: [SIMD2<Float>]
  public var captions: [String]
  public var activations: [Float]
  /// The generating cluster of each point.
  public var truth: [Int]
  /// Sparse codes: 8 latents per theme plus a few shared ones; the selected latent is column 0.
  public var latents: SparseMatrix

  static let themes: [[String]] = [
    ["muscle", "bodybuilder", "gym", "biceps", "workout"], ["mushroom", "forest", "moss", "fungi", "toadstool"],
    ["mustache", "gentleman", "barber", "beard", "portrait"], ["musical", "violin", "orchestra", "concert", "piano"],
    ["mystic", "wizard", "crystal", "spell", "runes"], ["pizza", "cheese", "oven", "pepperoni", "kitchen"],
    ["sunset", "ocean", "beach", "waves", "horizon"], ["castle", "medieval", "knight", "tower", "banner"],
    ["robot", "circuit", "metal", "neon", "factory"], ["garden", "tulips", "roses", "butterfly", "bloom"],
    ["desert", "camel", "dunes", "caravan", "oasis"], ["winter", "snow", "cabin", "pine", "sled"],
  ]
  static let adjectives = ["bright", "quiet", "vivid", "ancient", "glowing", "tiny", "giant", "rustic", "golden", "misty"]
  static let places = ["at dawn", "under a cloudy sky", "in soft light", "on a wooden table", "near a river", "in a city street"]

  /// Makes `count` points in `clusters` themed clusters (at most 12), deterministic for a seed.
  public static func make(count: Int, clusters: Int = 8, seed: UInt64 = 7) -> MapSample {
    let k = max(1, min(clusters, themes.count))
    var rng = SeededGenerator(seed: seed)
    var centres: [SIMD2<Float>] = []
    for c in 0..<k {
      let angle = Float(c) / Float(k) * 2 * .pi
      let r: Float = 6 + 3 * Float(c % 3)
      centres.append(SIMD2(r * 1.6 * cosf(angle), r * sinf(angle)))
    }
    var positions: [SIMD2<Float>] = [], captions: [String] = [], activations: [Float] = [], truth: [Int] = []
    var pointers = [0], columns: [Int32] = [], values: [Float] = []
    // Each theme is three sub-blobs (sub-themes) so the map has a coarse and a fine level.
    var subCentres: [[SIMD2<Float>]] = []
    for c in 0..<k {
      subCentres.append((0..<3).map { s in
        let a = Float(s) * 2.1 + Float(c)
        return centres[c] + SIMD2(cosf(a), sinf(a)) * 1.1
      })
    }
    for i in 0..<count {
      let c = i % k
      let sub = (i / k) % 3
      let spread: Float = 0.45 + 0.15 * Float(c % 3)
      let g = SIMD2(Float(rng.nextGaussian()), Float(rng.nextGaussian())) * spread
      // One point in 25 is a bridge: placed between its theme and the next, its caption mixes both.
      let bridge = i % 25 == 24 && k > 1
      let next = (c + 1) % k
      if bridge {
        let t = 0.25 + 0.5 * rng.nextUnitFloat()
        positions.append(centres[c] * (1 - t) + centres[next] * t + g * 0.6)
      } else {
        positions.append(subCentres[c][sub] + g)
      }
      let words = themes[c]
      let a = words[(sub + Int(rng.next() % 2)) % 5]
      let b = bridge ? themes[next][Int(rng.next() % 5)] : words[(sub + 2 + Int(rng.next() % 3)) % 5]
      let adj = adjectives[Int(rng.next() % UInt64(adjectives.count))]
      let place = places[Int(rng.next() % UInt64(places.count))]
      captions.append("A \(adj) \(a) with a \(b) \(place)")
      let act = 2 + Float(c) * 0.4 + Float(rng.nextGaussian()) * 0.3 - (g * g).sum() * 0.2
      activations.append(max(0.05, act))
      truth.append(c)
      var row: [(Int32, Float)] = [(0, max(0.05, act))]
      for j in 0..<8 where rng.nextUnitFloat() < (j / 3 == sub ? 0.95 : 0.35) { row.append((Int32(1 + c * 8 + j), 0.5 + rng.nextUnitFloat())) }
      for _ in 0..<2 { row.append((Int32(1 + themes.count * 8 + Int(rng.next() % 16)), 0.2 * rng.nextUnitFloat() + 0.01)) }
      var seen = Set<Int32>()
      for (col, v) in row.sorted(by: { $0.0 < $1.0 }) where seen.insert(col).inserted { columns.append(col); values.append(v) }
      pointers.append(columns.count)
    }
    let latents = SparseMatrix(rows: count, cols: 1 + themes.count * 8 + 16, rowPointers: pointers, columnIndices: columns, values: values)
    return MapSample(positions: positions, captions: captions, activations: activations, truth: truth, latents: latents)
  }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
