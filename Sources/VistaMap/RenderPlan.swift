/// The MultiDiffusion render plan: a deterministic job a GPU worker runs inside its own sampling loop
/// (format documented in docs/render-plan.md). Codable: it is written as JSON.
public struct RenderPlan: Sendable, Codable, Equatable {
  public var format = "vista.render-plan"
  public var version = 1
  public var canvas: Canvas
  public var model: Model
  public var windowing: Windowing
  public var windows: [Window]
  /// Caption id (index into this array) -> text; shared with the explorer through `point`.
  public var captions: [Caption]
  /// `schedule[step][window]` = caption id conditioning that window at that step; -1 = background prompt.
  public var schedule: [[Int]]
  public var provenance: [String: String]

  public struct Canvas: Sendable, Codable, Equatable {
    public var width: Int
    public var height: Int
    public var latentScale: Int
    public var latentChannels: Int
    public var latentWidth: Int
    public var latentHeight: Int
    /// Seed of the initial noise.
    public var seed: UInt64
  }

  public struct Model: Sendable, Codable, Equatable {
    public var name: String
    public var steps: Int
    public var guidance: Float
    public var scheduler: String
    /// Flow-matching shift mu (Flux interpolates 0.5..1.15 by token count).
    public var shift: Float
    public var backgroundPrompt: String
  }

  public struct Windowing: Sendable, Codable, Equatable {
    /// Window side in latent units.
    public var size: Int
    /// Step between window origins in latent units.
    public var stride: Int
    /// "tent" (separable triangle, flat towards the canvas edges) or "flat" (ones).
    public var mask: String
    /// Tile side in latent units (tiles of the map grid).
    public var tileSize: Int
    public var gridColumns: Int
    public var gridRows: Int
  }

  public struct Window: Sendable, Codable, Equatable {
    public var id: Int
    /// Origin and size in latent units.
    public var x0: Int
    public var y0: Int
    public var w: Int
    public var h: Int
    /// Map tiles (row * columns + column) the window covers.
    public var tiles: [Int]
    /// Tiles whose points were borrowed because the covered ones held too few.
    public var borrowedTiles: [Int]
    /// The coarse cluster the window's pool belongs to most (-1 for background).
    public var cluster: Int
    /// Caption ids the schedule draws from for this window, after outlier removal.
    public var pool: [Int]
  }

  public struct Caption: Sendable, Codable, Equatable {
    public var id: Int
    /// Index of the caption's point in the map.
    public var point: Int
    public var text: String
  }
}

/// Options of `RenderPlanner`; the defaults give the paper's 9k x 16k panorama for a 32x18 grid.
public struct RenderPlanOptions: Sendable, Codable, Equatable {
  /// Diffusion steps (the paper's 100).
  public var steps = 100
  /// Pixels per map tile side (32 x 512 = 16,384 px wide).
  public var tilePixels = 512
  /// VAE downsampling (Flux: 8) and latent channels (Flux: 16).
  public var latentScale = 8
  public var latentChannels = 16
  /// Window side and stride in latent units (128 = 1024 px, Flux's native size; stride = half: tent masks sum to 1).
  public var window = 128
  public var stride = 64
  public var mask = "tent"
  /// Fewest points a window's pool, and each cluster kept in it, must hold (the paper's 4).
  public var minimumPoints = 4
  /// Rings of neighbouring tiles a window may borrow from.
  public var borrowRadius = 2
  /// A point is an outlier when its similarity to its cluster's centre is more than this many MADs
  /// below the cluster's median.
  public var outlierMADs: Float = 2.5
  public var model = "flux.1-dev"
  public var guidance: Float = 3.5
  public var scheduler = "flow-match-euler"
  public var shift: Float = 1.15
  public var backgroundPrompt = "an empty soft paper texture, muted colours"
  public var seed: UInt64 = 1

  public init() {}
}
