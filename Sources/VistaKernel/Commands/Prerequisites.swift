/// What each stage needs before it can run, and the command that provides it, so a command run too early
/// says exactly what to do ("run `load …` first") instead of naming an internal stage.
enum Prerequisites {
  static func inputs(of stage: Stage) -> [Stage] {
    switch stage {
    case .dataset: return []
    case .encoder: return [.dataset]
    case .sae: return []
    case .codes: return [.dataset]
    case .selection: return [.dataset, .codes]
    case .layout: return [.dataset, .codes, .selection]
    case .fidelity: return [.dataset, .codes, .selection, .layout]
    case .map: return [.dataset, .selection, .layout]
    case .plan: return [.dataset, .selection, .layout, .map]
    }
  }

  /// Throws StageNotReady for the first input of `stage` that was never configured.
  static func check(_ stage: Stage, session: Session, at position: SourcePosition?) throws {
    for input in inputs(of: stage) where session.record(input) == nil {
      throw CommandError(.stageNotReady, "\(stage.rawValue) needs the \(input.rawValue) stage first: run \(input.howToConfigure)", at: position)
    }
  }
}
