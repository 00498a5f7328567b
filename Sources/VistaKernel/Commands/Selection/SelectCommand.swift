import VistaCore
import VistaData

/// `select latent=N top=2%`: the captions that most activate latent N become the map's points.
struct SelectCommand: Command {
  static let options = [
    OptionSpec("latent", .latent, required: true, "the latent (SAE feature) to map"),
    OptionSpec("top", .countOrPercent, default: "2%", "how many captions: a count (4000) or a share of the dataset (2%)"),
  ]

  /// The defaults of the selection stage's parameters (`top`; `latent` has none).
  static var defaults: [String: String] { ["top": "2%"] }

  let spec = CommandSpec(
    ["select"], group: .selection, summary: "Keep the captions that most activate one latent",
    options: SelectCommand.options,
    details: "Only captions on which the latent is active (> 0) are kept, strongest first.",
    examples: ["select latent=123 top=2%", "select latent=7 top=4000"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let parameters = invocation.canonicalOptions()
    let record = try context.runStage(.selection, parameters, invocation: invocation)
    let selection = try context.session.require(.selection, as: LatentSelection.self)
    let captions = try context.session.require(.dataset, as: CaptionSet.self)
    let shown = min(10, selection.count)
    let rows = (0..<shown).map { i in
      [String(i + 1), captions.ids[selection.rows[i]], captions.texts[selection.rows[i]], String(format: "%.3f", selection.activations[i])]
    }
    var footer = "\(selection.count) captions selected for latent \(selection.latent)"
    if let top = invocation.countOrFraction("top"), selection.count < top.resolve(total: captions.count) {
      footer += " (fewer than asked: the latent is active on only \(selection.count))"
    }
    if !context.session.reproducibleOutputs { footer += "; " + record.provenance }
    context.display(Table(columns: ["#", "id", "caption", "activation"], rows: rows,
                          title: "Latent \(selection.latent): top captions", numericColumns: [0, 3], footer: footer).bundle)
    return .none
  }
}
