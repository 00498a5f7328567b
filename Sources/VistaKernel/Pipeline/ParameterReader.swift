import VistaCore

/// Typed reading of a stage's canonical parameters inside a computation (they were validated by the
/// command's option kinds, so a failure here means a hand-edited recipe or sweep value: a clear error).
struct ParameterReader {
  let parameters: StageParameters
  let stage: Stage

  init(_ parameters: StageParameters, _ stage: Stage) {
    self.parameters = parameters
    self.stage = stage
  }

  func string(_ key: String) -> String? { parameters.values[key] }

  func string(_ key: String, default fallback: String) -> String { parameters.values[key] ?? fallback }

  func int(_ key: String, default fallback: Int? = nil) throws -> Int {
    guard let text = parameters.values[key] else {
      if let fallback { return fallback }
      throw VistaError("\(stage.rawValue) needs \(key)=…", at: "option \(key)")
    }
    guard let v = Double(text), v == v.rounded(), abs(v) < 1e15 else {
      throw VistaError("expected an integer, got '\(text)'", at: "option \(key)")
    }
    return Int(v)
  }

  func double(_ key: String, default fallback: Double? = nil) throws -> Double {
    guard let text = parameters.values[key] else {
      if let fallback { return fallback }
      throw VistaError("\(stage.rawValue) needs \(key)=…", at: "option \(key)")
    }
    switch Value.parse(text) {
    case .number(let v): return v
    case .percent(let p): return p / 100
    default: throw VistaError("expected a number, got '\(text)'", at: "option \(key)")
    }
  }

  /// A typed value through the option kind that validated it (`top=2%`, `aspect=16:9`, `k=0.5%..20%`).
  func value(_ key: String, as kind: OptionKind) throws -> Value? {
    guard let text = parameters.values[key] else { return nil }
    guard let value = kind.accept(Value.parse(text)) else {
      throw VistaError("expected \(kind.expected), got '\(text)'", at: "option \(key)")
    }
    return value
  }

  /// The seed: the explicit `seed=` of the command, else the session's.
  func seed(_ session: Session) throws -> UInt64 {
    if let text = parameters.values["seed"] {
      guard let s = UInt64(text) else { throw VistaError("seed must be a non-negative integer, got '\(text)'", at: "option seed") }
      return s
    }
    return session.seed
  }
}
