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

  /// The command that configures this stage, for "run `…` first" messages.
  public var commandHint: String {
    switch self {
    case .dataset: return "load"
    case .encoder: return "encode"
    case .sae: return "sae"
    case .codes: return "sae apply"
    case .selection: return "select"
    case .layout: return "layout"
    case .fidelity: return "fidelity"
    case .map: return "map"
    case .plan: return "render"
    }
  }

  /// Parses a stage name as users write it (`reset layout`).
  public init?(name: String) {
    self.init(rawValue: name.lowercased())
  }
}
