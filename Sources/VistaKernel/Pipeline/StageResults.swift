import Foundation
import VistaCore
import VistaData
import VistaLayout

/// The captions that most activate one latent: the map's points, in dataset row order of activation.
public struct LatentSelection: Codable, Sendable, Equatable {
  public var latent: Int
  /// Dataset rows, strongest activation first.
  public var rows: [Int]
  /// The latent's activation at each selected row.
  public var activations: [Float]
  public var count: Int { rows.count }
}

/// A 2-D layout of the selection, with the latent-space kNN graph it was built from (the map reuses it).
public struct LayoutResult: Sendable {
  /// n x 2 positions, rows in selection order.
  public var positions: Matrix
  public var knn: KNNGraph
  public var seconds: Double
  /// How the layout was made (metric, neighbours, aspect correction…), for figure metadata.
  public var summary: [String: String]

  public var points: [SIMD2<Float>] {
    (0..<positions.rows).map { SIMD2(positions[$0, 0], positions[$0, 1]) }
  }

  static var codec: ArtifactCodec<LayoutResult> {
    ArtifactCodec(
      encode: { r in
        var w = BinaryWriter()
        w.write(r.positions)
        w.write(r.knn.indices)
        w.write(r.knn.distances)
        w.write(r.knn.n); w.write(r.knn.k); w.write(r.knn.includesSelf)
        w.write(r.seconds)
        let keys = r.summary.keys.sorted()
        w.write(keys)
        w.write(keys.map { r.summary[$0] ?? "" })
        return w.data
      },
      decode: { data in
        var rd = BinaryReader(data)
        let positions = try rd.readMatrix()
        let indices = try rd.readInt32s()
        let distances = try rd.readFloats()
        let n = try rd.readInt(), k = try rd.readInt(), includesSelf = try rd.readBool()
        let seconds = try rd.readDouble()
        let keys = try rd.readStrings(), values = try rd.readStrings()
        try rd.expectEnd()
        guard indices.count == n * k, distances.count == n * k, positions.rows == n, keys.count == values.count else {
          throw VistaError("inconsistent cached layout", at: "cache")
        }
        return LayoutResult(
          positions: positions, knn: KNNGraph(indices: indices, distances: distances, n: n, k: k, includesSelf: includesSelf),
          seconds: seconds, summary: Dictionary(uniqueKeysWithValues: zip(keys, values)))
      })
  }
}

/// How faithful the layout is: the mutual-kNN gain curve and trustworthiness/continuity at one k.
public struct FidelityResult: Codable, Sendable {
  public var curve: GainCurve
  public var trustK: Int
  public var trustworthiness: Double
  public var continuity: Double
  public var seconds: Double
}
