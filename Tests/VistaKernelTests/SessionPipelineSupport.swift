import Foundation
import VistaCore

@testable import VistaKernel

/// A small real pipeline for session tests: every stage computes something from its upstream result,
/// so a wrong cache hit shows up as a wrong value, not only as a wrong counter.
///
/// dataset `n=N`: [0, 1, …, N-1]; codes `power=P`: x^P; selection `top=K`: the K largest codes;
/// layout `scale=S` (uses the seed): values * S + seed; map `bins=B` (memory only, no codec): [sum, B].
/// Options `fail=yes` throws a VistaError after the work; `slow=yes` polls the progress for cancellation.
enum ToyPipeline {
  static func register(on session: Session) {
    session.register(.dataset, StageComputation(codec: .floats) { _, parameters, progress in
      let n = Int(parameters["n"] ?? "10") ?? 10
      try failIfAsked(parameters, progress)
      return (0..<n).map { Float($0) }
    })
    session.register(.codes, StageComputation(codec: .floats) { session, parameters, progress in
      let data = try session.require(.dataset, as: [Float].self)
      let power = Float(parameters["power"] ?? "1") ?? 1
      try failIfAsked(parameters, progress)
      return data.map { Float(pow(Double($0), Double(power))) }
    })
    session.register(.selection, StageComputation(codec: .floats) { session, parameters, progress in
      let codes = try session.require(.codes, as: [Float].self)
      let top = Int(parameters["top"] ?? "3") ?? 3
      try failIfAsked(parameters, progress)
      return Array(codes.sorted(by: >).prefix(top))
    })
    session.register(.layout, StageComputation(usesDefaults: ["seed"], codec: .floats) { session, parameters, progress in
      let selected = try session.require(.selection, as: [Float].self)
      let scale = Float(parameters["scale"] ?? "1") ?? 1
      try failIfAsked(parameters, progress)
      return selected.map { $0 * scale + Float(session.seed) }
    })
    session.register(.map, StageComputation(codec: nil as ArtifactCodec<[Float]>?) { session, parameters, progress in
      let layout = try session.require(.layout, as: [Float].self)
      let bins = Float(parameters["bins"] ?? "4") ?? 4
      try failIfAsked(parameters, progress)
      return [layout.reduce(0, +), bins]
    })
  }

  private static func failIfAsked(_ parameters: StageParameters, _ progress: VistaCore.Progress) throws {
    if parameters["slow"] == "yes" {
      for _ in 0..<2000 {
        try progress.checkCancelled()
        Thread.sleep(forTimeInterval: 0.001)
      }
    }
    try progress.checkCancelled()
    if parameters["fail"] == "yes" { throw VistaError("asked to fail", at: "option fail") }
  }

  /// Runs the whole toy chain with its standard parameters.
  static func runChain(_ session: Session) throws {
    try session.run(.dataset, parameters: ["n": "20"], command: "load toy n=20", progress: .none)
    try session.run(.codes, parameters: ["power": "2"], command: "sae apply power=2", progress: .none)
    try session.run(.selection, parameters: ["top": "5"], command: "select top=5", progress: .none)
    try session.run(.layout, parameters: ["scale": "0.5"], command: "layout scale=0.5", progress: .none)
    try session.run(.map, parameters: ["bins": "8"], command: "map bins=8", progress: .none)
  }

  static func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("vista-session-\(UUID().uuidString)")
  }
}
