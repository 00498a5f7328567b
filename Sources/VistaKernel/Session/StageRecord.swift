import Foundation

/// Where a stage's current result came from.
public enum CacheHit: String, Codable, Sendable {
  /// Computed by this run.
  case none
  /// Found in the session's memory cache.
  case memory
  /// Loaded from the disk cache.
  case disk
}

/// Whether a stage's result can be used.
public enum StageState: String, Codable, Sendable {
  /// Never run (or reset).
  case empty
  /// Up to date with its parameters and everything upstream.
  case fresh
  /// Its parameters are kept but something upstream changed: recomputed on demand by `ensure`.
  case stale
}

/// What the session knows about one stage: its parameters, state and the provenance of its result.
public struct StageRecord: Sendable, Equatable {
  public var stage: Stage
  public var parameters: StageParameters
  public var state: StageState
  /// SHA-256 hex of (upstream fingerprint, stage, canonical parameters, result-affecting defaults, code version).
  public var fingerprint: String
  /// Seconds the last compute or cache load took.
  public var elapsed: TimeInterval
  public var cacheHit: CacheHit
  /// The command text that configured the stage, replayed by recipes.
  public var command: String

  public init(
    stage: Stage, parameters: StageParameters, state: StageState, fingerprint: String,
    elapsed: TimeInterval, cacheHit: CacheHit, command: String
  ) {
    self.stage = stage
    self.parameters = parameters
    self.state = state
    self.fingerprint = fingerprint
    self.elapsed = elapsed
    self.cacheHit = cacheHit
    self.command = command
  }
}
