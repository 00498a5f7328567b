import Foundation
import VistaCore
import VistaLayout
import VistaRender

/// `gain k=0.5%..20%`: the mutual-kNN gain curve of the layout (plot and table), with trustworthiness.
struct GainCommand: Command {
  static let options: [OptionSpec] = [
    OptionSpec("k", .percentRange, default: "0.5%..20%", "neighbourhood sizes as a share of the points (every whole percent between)"),
    OptionSpec("trust_k", .integer(min: 1), default: "15", "k for trustworthiness and continuity"),
  ]

  let spec = CommandSpec(
    ["gain"], group: .fidelity, summary: "Plot the layout's mutual-kNN gain curve over k, with its maximum, and trustworthiness",
    options: GainCommand.options,
    details: "gain(k) = mutual-kNN(k) − k/n: the share of each caption's k nearest neighbours in latent space (cosine) that are also its k nearest on the map (euclidean), minus what a random layout would get.",
    examples: ["gain", "gain k=1%..10%"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let record = try context.runStage(.fidelity, invocation.canonicalOptions(), invocation: invocation, title: "gain")
    let fidelity = try context.session.require(.fidelity, as: FidelityResult.self)
    let selection = try context.session.require(.selection, as: LatentSelection.self)
    for output in try Self.outputs(fidelity, points: selection.count, latent: selection.latent, record: record, context: context) {
      context.display(output)
    }
    return .none
  }

  static func outputs(_ f: FidelityResult, points n: Int, latent: Int, record: StageRecord?, context: CommandContext) throws -> [MimeBundleConvertible] {
    let curve = GainCurvePlot.Curve(name: "layout", x: f.curve.points.map(\.fraction), y: f.curve.points.map(\.gain))
    let png = try GainCurvePlot.render(curves: [curve], width: 900, height: 520,
                                       title: "Mutual-kNN gain, latent \(latent) (\(n) captions)", xLabel: "k (% of \(n) points)")
    var parameters = ["points": String(n), "max_gain": String(format: "%.4f", f.curve.maxGain),
                      "argmax_k": Value.format(f.curve.argmaxFraction * 100) + "%",
                      "trustworthiness": String(format: "%.4f", f.trustworthiness), "trust_k": String(f.trustK)]
    parameters["high_metric"] = f.curve.rules.high.name
    parameters["low_metric"] = f.curve.rules.low.name
    let figure = Figure(png: Data(png.data), width: png.width, height: png.height,
                        description: String(format: "Gain curve: max %.3f at k = %@%%", f.curve.maxGain, Value.format(f.curve.argmaxFraction * 100)),
                        parameters: parameters)
    let best = f.curve.best
    let rows = f.curve.points.map { p -> [String] in
      [Value.format(p.fraction * 100) + "%", String(p.k), String(format: "%.4f", p.mutualKNN), String(format: "%.4f", p.gain),
       p == best ? "◀ max" : ""]
    }
    var footer = String(format: "trustworthiness %.4f, continuity %.4f (k=%d)", f.trustworthiness, f.continuity, f.trustK)
    if let record, !context.session.reproducibleOutputs { footer += "; " + record.provenance }
    let table = Table(columns: ["k %", "k", "mutual-kNN", "gain", ""], rows: rows, title: "Gain curve", numericColumns: [0, 1, 2, 3],
                      footer: footer)
    return [figure, table]
  }
}

/// `trust k=15`: trustworthiness and continuity of the layout at one k.
struct TrustCommand: Command {
  let spec = CommandSpec(
    ["trust"], group: .fidelity, summary: "Trustworthiness and continuity of the layout at one k",
    options: [OptionSpec("k", .integer(min: 1), default: "15", "neighbourhood size")],
    examples: ["trust k=15"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    var parameters = context.session.record(.fidelity)?.parameters.values ?? ["k": "0.5%..20%"]
    parameters["trust_k"] = invocation.value("k")?.description ?? "15"
    let record = try context.runStage(.fidelity, parameters, invocation: invocation, title: "trust")
    let f = try context.session.require(.fidelity, as: FidelityResult.self)
    var rows = [["trustworthiness", String(format: "%.4f", f.trustworthiness)], ["continuity", String(format: "%.4f", f.continuity)],
                ["max gain", String(format: "%.4f", f.curve.maxGain)]]
    if !context.session.reproducibleOutputs { rows.append(["time", record.provenance]) }
    context.display(Table(columns: ["measure (k=\(f.trustK))", "value"], rows: rows, title: "Layout fidelity", numericColumns: [1]).bundle)
    return .none
  }
}
