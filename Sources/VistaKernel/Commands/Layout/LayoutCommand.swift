import Foundation
import VistaCore
import VistaRender

/// `layout umap neighbors=15 min_dist=0.1 metric=vista axis_weight=1 aspect=16:9 seed=1`.
struct LayoutCommand: Command {
  static let options: [OptionSpec] = [
    OptionSpec("neighbors", .integer(min: 2, max: 500), default: "15", "neighbours per point in the kNN graph (UMAP n_neighbors)"),
    OptionSpec("min_dist", .number(min: 0, max: 10), default: "0.1", "how tightly UMAP packs points (min_dist)"),
    OptionSpec("spread", .number(min: 0.01, max: 100), default: "1", "the scale of embedded points (spread)"),
    OptionSpec("metric", .choice(["vista", "cosine", "euclidean", "correlation", "dot"]), default: "vista",
               "distance between codes; vista = cosine distance + axis_weight x |difference along the selected latent|"),
    OptionSpec("axis_weight", .number(min: 0, max: 1000), default: "1", "weight of the selected latent's axis in the vista metric"),
    OptionSpec("aspect", .ratio, default: "16:9", "the map's aspect ratio; the layout is stretched to it along the latent's direction"),
    OptionSpec("epochs", .integer(min: 1, max: 10000), "SGD epochs (default: 500 up to 10,000 points, else 200)"),
    OptionSpec("init", .choice(["spectral", "random"]), default: "spectral", "initial layout"),
    OptionSpec("seed", .integer(min: 0), "random seed (default: the session's, `set seed=N`)"),
  ]

  /// The stage parameters a bare `layout umap` gets (so sweeps and commands share cache keys).
  static var defaults: [String: String] {
    var out: [String: String] = [:]
    for o in options { if let d = o.defaultValue, let v = o.kind.accept(Value.parse(d)) { out[o.name] = v.description } }
    return out
  }

  let spec = CommandSpec(
    ["layout"], group: .layout, summary: "Lay out the selected captions in 2-D with UMAP and VISTA's metric",
    arguments: [ArgumentSpec("METHOD", .choice(["umap"]), required: false, "the layout method (umap)")],
    options: LayoutCommand.options,
    details: "Shows a scatter of the layout coloured by the latent's activation, with the time taken.",
    examples: ["layout umap", "layout umap neighbors=30 min_dist=0.05 axis_weight=2 aspect=16:9 seed=3"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let parameters = invocation.canonicalOptions()
    let record = try context.runStage(.layout, parameters, invocation: invocation, title: "layout umap")
    let layout = try context.session.require(.layout, as: LayoutResult.self)
    let selection = try context.session.require(.selection, as: LatentSelection.self)
    context.display(try Self.scatter(layout, selection: selection, record: record, context: context).bundle)
    return .none
  }

  static func scatter(_ layout: LayoutResult, selection: LatentSelection, record: StageRecord?, context: CommandContext,
                      width: Int = 900) throws -> Figure {
    let aspect = Float(LayoutStage.aspectValue(layout.summary["aspect"]))
    var subtitle = "\(selection.count) captions · metric \(layout.summary["metric"] ?? "?") · neighbors \(layout.summary["neighbors"] ?? "?")"
    if let record, !context.session.reproducibleOutputs { subtitle += " · " + record.provenance }
    let png = try ScatterPreview.render(positions: layout.points, values: selection.activations, width: width, aspect: aspect,
                                        title: "Latent \(selection.latent): UMAP layout", subtitle: subtitle)
    var parameters = layout.summary
    if !context.session.reproducibleOutputs { parameters["seconds"] = String(format: "%.3f", layout.seconds) }
    return Figure(png: Data(png.data), width: png.width, height: png.height,
                  description: "Layout of \(selection.count) captions for latent \(selection.latent), coloured by activation",
                  parameters: parameters)
  }
}
