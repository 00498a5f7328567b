/// Every knob of the map stage, with the default it documents. Codable so a map records what made it.
public struct MapOptions: Sendable, Codable, Equatable {
  /// The tile grid; its ratio is the canvas aspect (32x18 = 16:9, the paper's panorama shape).
  public var grid = GridSize(columns: 32, rows: 18)
  /// Tiles with fewer points are empty (the paper's minimum of 4 points).
  public var minimumTileCount = 4
  /// Neighbours per point when the map builds its own 2-D kNN graph (no latent kNN supplied).
  public var neighbors = 15
  /// Louvain modularity resolution of the coarse regions (lower = fewer, bigger regions).
  public var coarseResolution: Float = 0.3
  /// Louvain modularity resolution of the fine clusters (1 = classic modularity).
  public var fineResolution: Float = 1
  /// Clusters smaller than this are merged into their most-linked neighbour.
  public var minimumClusterSize = 4
  /// Density grid width in cells (height follows the aspect).
  public var densityWidth = 256
  /// Multiplies Scott's bandwidth (smaller = tighter regions).
  public var bandwidthScale: Float = 0.45
  /// Contour levels as fractions of each region's density maximum, outermost first.
  public var contourLevels: [Float] = [0.07, 0.18, 0.36, 0.6]
  /// Keywords per label.
  public var labelTerms = 3
  /// Connections weaker than this (see `ClusterConnection`) are dropped.
  public var minimumConnectionStrength: Float = 0.003
  /// Percentile clipping and margin of the layout normalisation.
  public var clipLow: Float = 1
  public var clipHigh: Float = 99
  public var margin: Float = 0.05
  public var preserveAspect = true
  /// Seed of every random step (Louvain's node order).
  public var seed: UInt64 = 1

  public init() {}
}
