/// UMAP's parameters, with umap-learn's defaults (vista-method §2.1).
public struct UMAPOptions: Sendable, Codable, Equatable {
  /// How the layout starts.
  public enum Initialization: Sendable, Codable, Equatable {
    /// Eigenvectors of the graph's normalised Laplacian (umap-learn's default).
    case spectral
    /// Uniform in [−10, 10]², from the seed.
    case random
    /// A caller's n × 2 layout, row-major (x0, y0, x1, y1, ...).
    case given([Float])
  }

  /// Neighbours per point, self included (umap-learn's `n_neighbors`).
  public var neighbors: Int = 15
  /// The smallest distance between points in the layout (`min_dist`).
  public var minDist: Double = 0.1
  /// The scale of embedded points (`spread`).
  public var spread: Double = 1
  /// SGD epochs; nil = 500 for n ≤ 10,000 points, else 200.
  public var epochs: Int? = nil
  public var metric: Metric = .euclidean
  public var initialization: Initialization = .spectral
  /// Seeds every random step; the same seed gives the same layout bit for bit at any thread count.
  public var seed: UInt64 = 42
  public var threads: Int = defaultThreadCount
  /// The SGD's initial learning rate α.
  public var learningRate: Double = 1
  /// Negative samples per positive sample.
  public var negativeSampleRate: Int = 5
  /// γ, the weight of repulsion.
  public var repulsionStrength: Double = 1
  /// 1 = fuzzy union of the directed graphs, 0 = intersection.
  public var setOpMixRatio: Double = 1
  /// Neighbours assumed connected at full strength.
  public var localConnectivity: Double = 1
  /// The output kernel's a and b; nil = fitted from `minDist` and `spread`.
  public var a: Double? = nil
  public var b: Double? = nil
  /// Target width:height of the map (nil = none, umap-learn's square normalisation). See `AspectRatio`.
  public var aspect: AspectRatio? = nil
  public var nearestNeighbors: KNNOptions = KNNOptions()

  public init() {}

  /// umap-learn's epoch rule.
  public func epochCount(points n: Int) -> Int { epochs ?? (n <= 10_000 ? 500 : 200) }
}
