import Foundation
import VistaCore

extension CommandContext {
  /// Runs `stage` with `parameters` (the command's canonical options), showing progress for long work.
  /// The session is transactional: on any error (an interrupt included) it is left as it was.
  @discardableResult
  func runStage(_ stage: Stage, _ parameters: [String: String], invocation: Invocation, title: String? = nil) throws -> StageRecord {
    try Prerequisites.check(stage, session: session, at: invocation.position)
    return try withProgress(title ?? invocation.spec.name) { progress in
      try session.run(stage, parameters: StageParameters(parameters), command: invocation.text, progress: progress)
    }
  }

  /// Brings `stage` up to date (recomputing stale upstream stages) and returns its result.
  func fresh<T>(_ stage: Stage, as type: T.Type, title: String) throws -> T {
    try Prerequisites.check(stage, session: session, at: nil)
    if session.record(stage) == nil { throw StageNotConfigured(stage: stage) }
    if !session.isFresh(stage) {
      try withProgress(title) { progress in try session.ensure(stage, progress: progress) }
    }
    return try session.require(stage, as: type)
  }

  /// Elapsed seconds as shown next to results ("0.42 s"); empty in reproducible (headless) runs.
  func timing(_ seconds: Double) -> String {
    session.reproducibleOutputs ? "" : String(format: "%.2f s", seconds)
  }
}

extension StageRecord {
  /// "computed in 0.41 s", "from the memory cache", "from the disk cache".
  var provenance: String {
    switch cacheHit {
    case .memory: return "from the memory cache"
    case .disk: return "from the disk cache"
    default: return String(format: "computed in %.2f s", elapsed)
    }
  }
}

extension CommandContext {
  /// Runs a command that configures several stages (`sae train` then `sae apply`) as one step: if any part
  /// fails, the session's records, results and defaults are put back exactly as they were, so a failed
  /// command changes nothing (no stage re-run, nothing downstream marked stale).
  func atomically<T>(_ body: () throws -> T) throws -> T {
    try session.transaction(body)
  }
}
