import VistaCore

/// One coarse cluster drawn as an area of high density.
public struct MapRegion: Sendable, Codable, Equatable {
  public var cluster: Int
  public var count: Int
  /// The region's density maximum (canvas units): where its label and connections attach.
  public var peak: SIMD2<Float>
  /// Mean activation of its members.
  public var meanActivation: Float
  /// Filled contour rings per level (outermost level first): fill each level's rings even-odd.
  public var contours: [[ContourTracer.Ring]]
  /// The density fraction of each level in `contours`.
  public var levels: [Float]
}

/// The map of one latent's captions: tiles, regions, clusters, connections and labels over a
/// normalised layout. Built by `CaptionMap.build`; everything drawn or exported derives from it.
public struct CaptionMap: Sendable {
  public var layout: NormalizedLayout
  public var captions: [String]
  public var activations: [Float]
  public var graph: NeighborGraph
  public var clusters: ClusterHierarchy
  public var tiles: TileGrid
  public var regions: [MapRegion]
  /// The density of all points (for a whole-map contour or shading).
  public var density: DensityField
  public var connections: [ClusterConnection]
  /// Coarse labels then fine labels (unplaced: place them for a canvas with `LabelPlacer`).
  public var labels: [MapLabel]
  public var options: MapOptions
  /// Whether the kNN graph came from the latent space (true) or the 2-D map (false).
  public var graphFromLatents: Bool

  public var count: Int { layout.count }

  /// Builds the map.
  ///
  /// - Parameters:
  ///   - positions: the 2-D layout (raw layout units, y up); normalised here with `options`.
  ///   - captions: one caption per point.
  ///   - activations: the selected latent's activation per point.
  ///   - knn: optional latent-space kNN list (row-major n x k) and k: preferred for clusters and
  ///     representatives; a 2-D kNN graph is built when nil.
  ///   - knnDistances: optional n x k distances for `knn` (VistaLayout's `KNNGraph.distances`); edges are
  ///     weighted exp(-(d - rho) / sigma) with rho the row's nearest non-zero distance and sigma the row's
  ///     mean excess (a one-step version of UMAP's smooth kNN); all weights are 1 when nil.
  ///   - options: see `MapOptions`.
  /// - Throws: `VistaError` when the inputs disagree in length or hold bad values; `CancellationError`.
  public static func build(
    positions: [SIMD2<Float>], captions: [String], activations: [Float], knn: (indices: [Int32], k: Int)? = nil,
    knnDistances: [Float]? = nil, options: MapOptions = MapOptions(), progress: Progress = .none
  ) throws -> CaptionMap {
    let layout = try NormalizedLayout(
      raw: positions, aspect: options.grid.aspect, clipPercentiles: (options.clipLow, options.clipHigh),
      margin: options.margin, preserveAspect: options.preserveAspect)
    return try build(layout: layout, captions: captions, activations: activations, knn: knn, knnDistances: knnDistances, options: options, progress: progress)
  }

  /// Builds the map from an already normalised layout; `build(positions:...)` normalises and forwards here.
  ///
  /// - Throws: `VistaError` when the inputs disagree in length or hold bad values; `CancellationError`.
  public static func build(
    layout: NormalizedLayout, captions: [String], activations: [Float], knn: (indices: [Int32], k: Int)? = nil,
    knnDistances: [Float]? = nil, options: MapOptions = MapOptions(), progress: Progress = .none
  ) throws -> CaptionMap {
    let n = layout.count
    guard captions.count == n else {
      throw VistaError("\(captions.count) captions for \(n) points", at: "captions")
    }
    guard activations.count == n else {
      throw VistaError("\(activations.count) activations for \(n) points", at: "activations")
    }
    if let bad = activations.firstIndex(where: { !$0.isFinite }) {
      throw VistaError("activation of point \(bad) is not finite", at: "activations row \(bad)")
    }
    guard options.minimumTileCount >= 1 else { throw VistaError("must be at least 1", at: "option min_count") }
    progress.update("map: neighbours", 0.05)
    let graph: NeighborGraph
    if let knn {
      let weights = knnDistances.map { NeighborGraph.similarities(distances: $0, k: knn.k) }
      graph = try NeighborGraph(knnIndices: knn.indices, k: knn.k, count: n, similarities: weights)
    } else {
      graph = NeighborGraph(planar: layout.positions, k: options.neighbors)
    }
    try progress.checkCancelled()
    progress.update("map: clusters", 0.25)
    let clusters = try ClusterHierarchy.detect(
      graph: graph, coarseResolution: options.coarseResolution, fineResolution: options.fineResolution,
      minimumSize: options.minimumClusterSize, seed: options.seed, progress: progress)
    try progress.checkCancelled()
    progress.update("map: tiles", 0.45)
    let tiles = TileGrid.build(
      layout: layout, size: options.grid, minimumCount: options.minimumTileCount, graph: graph,
      activations: activations, clusters: clusters.coarse)
    try progress.checkCancelled()
    progress.update("map: regions", 0.6)
    let width = max(8, options.densityWidth)
    let height = max(8, Int((Float(width) / layout.aspect).rounded()))
    let density = DensityField.estimate(
      points: layout.positions, width: width, height: height, aspect: layout.aspect, bandwidthScale: options.bandwidthScale)
    var regions: [MapRegion] = []
    for (c, members) in clusters.coarseMembers.enumerated() {
      try progress.checkCancelled()
      let pts = members.map { layout.positions[$0] }
      // Each region uses the whole map's bandwidth so that small regions do not blow up into blobs.
      let field = DensityField.estimate(
        points: pts, width: width, height: height, aspect: layout.aspect, bandwidth: density.bandwidth)
      let top = field.maximum
      let rings = options.contourLevels.map { f in
        ContourTracer.rings(of: field, level: top * f).filter { ContourTracer.area($0) > 2e-6 }
      }
      let mean = members.reduce(Float(0)) { $0 + activations[$1] } / Float(max(1, members.count))
      regions.append(MapRegion(cluster: c, count: members.count, peak: field.peak, meanActivation: mean, contours: rings, levels: options.contourLevels))
    }
    progress.update("map: connections and labels", 0.85)
    let connections = ClusterConnection.between(
      labels: clusters.coarse, clusterCount: clusters.coarseCount, graph: graph,
      minimumStrength: options.minimumConnectionStrength)
    var labels: [MapLabel] = []
    let coarseTerms = ClassTFIDF.topTerms(documents: captions, classes: clusters.coarse, classCount: clusters.coarseCount, termsPerClass: options.labelTerms)
    for (c, terms) in coarseTerms.enumerated() where !terms.isEmpty {
      labels.append(MapLabel(cluster: c, level: 0, text: terms.joined(separator: " · "), anchor: regions[c].peak, priority: Float(regions[c].count)))
    }
    if clusters.fineCount > clusters.coarseCount {
      let fineTerms = ClassTFIDF.topTerms(documents: captions, classes: clusters.fine, classCount: clusters.fineCount, termsPerClass: max(1, options.labelTerms - 1))
      for (f, members) in clusters.fineMembers.enumerated() where !fineTerms[f].isEmpty && !members.isEmpty {
        var centroid = SIMD2<Float>.zero
        for i in members { centroid += layout.positions[i] }
        centroid /= Float(members.count)
        let nearest = members.min { a, b in
          let da = layout.positions[a] - centroid, db = layout.positions[b] - centroid
          return (da * da).sum() < (db * db).sum()
        }!
        labels.append(MapLabel(cluster: f, level: 1, text: fineTerms[f].joined(separator: ", "), anchor: layout.positions[nearest], priority: Float(members.count)))
      }
    }
    progress.update("map", 1)
    return CaptionMap(
      layout: layout, captions: captions, activations: activations, graph: graph, clusters: clusters, tiles: tiles,
      regions: regions, density: density, connections: connections, labels: labels, options: options,
      graphFromLatents: knn != nil)
  }
}

extension CaptionMap {
  /// A map with points only (no clusters, regions, tiles or labels): for quick scatter previews.
  public static func pointsOnly(layout: NormalizedLayout, activations: [Float]) -> CaptionMap {
    var options = MapOptions()
    options.grid = GridSize(columns: 1, rows: 1)
    let n = layout.count
    let graph = NeighborGraph(count: n, rowPointers: [Int](repeating: 0, count: n + 1), neighbors: [], weights: [])
    let tile = TileGrid.Tile(column: 0, row: 0, members: Array(0..<n), representative: nil, meanActivation: 0, dominantCluster: -1)
    return CaptionMap(
      layout: layout, captions: Array(repeating: "", count: n), activations: activations, graph: graph,
      clusters: ClusterHierarchy(coarse: Array(repeating: -1, count: n), fine: Array(repeating: -1, count: n), parentOfFine: [], coarseCount: 0, fineCount: 0),
      tiles: TileGrid(columns: 1, rows: 1, minimumCount: n + 1, tiles: [tile]), regions: [],
      density: DensityField(width: 1, height: 1, values: [0], bandwidth: 0), connections: [], labels: [], options: options,
      graphFromLatents: false)
  }
}
