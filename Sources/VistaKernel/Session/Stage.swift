/// The stages of a VISTA session, in chain order.
///
/// Each stage consumes what the stages before it produced, so running a stage with new parameters
/// makes every later stage ("downstream") stale.
public enum Stage: String, CaseIterable, Codable, Sendable, Comparable {
  case dataset, encoder, sae, codes, selection, layout, fidelity, map, plan

  /// Position in the chain (0 for `dataset`).
  public var index: Int { Stage.allCases.firstIndex(of: self) ?? 0 }

  public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.index < rhs.index }

  /// Every stage after this one, in chain order.
  public var downstream: [Stage] { Array(Stage.allCases[(index + 1)...]) }

  /// Every stage before this one, in chain order.
  public var upstream: [Stage] { Array(Stage.allCases[..<index]) }

  /// The command that configures this stage, for "run … first" messages.
  public var howToConfigure: String {
    switch self {
    case .dataset: return "`load demo` (or `load PATH`)"
    case .encoder: return "`encode` (or `activations load PATH`)"
    case .sae: return "`sae load PATH` or `sae train`"
    case .codes: return "`sae apply` (after `encode` and `sae load`/`sae train`) or `codes load PATH`"
    case .selection: return "`select latent=N`"
    case .layout: return "`layout umap`"
    case .fidelity: return "`gain`"
    case .map: return "`tiles`"
    case .plan: return "`render plan`"
    }
  }

  /// Raised when a stage's algorithm changes its results, so that results cached on disk by an
  /// earlier build are not served for it (and, through the fingerprints, for what follows it),
  /// while the other stages' caches stay valid. Layout 2: the SGD's vectorised negative sampling;
  /// 3: NN-descent's tiled local joins (above 8,192 points); 4: its leaves visited by region (the
  /// same neighbours kept, but its early stop counts updates in the order they come); 5: the SGD
  /// sums a head's repulsion once an epoch and applies it in equal shares along its attraction chain.
  public var algorithmRevision: Int { self == .layout ? 5 : 1 }

  /// Parses a stage name as users write it (`reset layout`).
  public init?(name: String) {
    self.init(rawValue: name.lowercased())
  }
}

/// A stage a computation needs was never configured (the kernel reports it as StageNotReady).
public struct StageNotConfigured: Error, CustomStringConvertible {
  public let stage: Stage
  public var description: String { "stage \(stage.rawValue) has not been run yet; run \(stage.howToConfigure) first" }
}
