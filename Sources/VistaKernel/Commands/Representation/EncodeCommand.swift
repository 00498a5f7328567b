import VistaData

/// `encode [model=minilm layer=N]`: MiniLM over the captions (token states for the SAE, sentence embeddings).
struct EncodeCommand: Command {
  let spec = CommandSpec(
    ["encode"], group: .representation, summary: "Encode the captions with MiniLM: token states of one layer, and sentence embeddings",
    options: [
      OptionSpec("model", .text, default: "minilm", "`minilm` (all-MiniLM-L6-v2, found via $VISTA_MODEL_DIR or $VISTA_HOME/models) or a BERT folder"),
      OptionSpec("layer", .integer(min: 0, max: 48), default: "6", "the layer whose token states the SAE reads (0 = embeddings, 6 = last)"),
    ],
    details: "Then `sae train` (or `sae load PATH`) turns token states into codes, pooled per caption by `sae apply pooling=…`.",
    examples: ["encode", "encode layer=4"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let record = try context.atomically { () throws -> StageRecord in
      let record = try context.runStage(.encoder, invocation.canonicalOptions(), invocation: invocation, title: "encode")
      // A new encoding makes SAE codes stale; refresh them when an SAE is configured.
      if context.session.record(.sae) != nil { try SAEApplyCommand.applyAfterSAE(context) }
      return record
    }
    let encoder = try context.session.require(.encoder, as: EncoderResult.self)
    var rows = [
      ["captions", String(encoder.embeddings.rows)], ["tokens (without [CLS]/[SEP])", String(encoder.tokenStates.rows)],
      ["layer", String(encoder.layer)], ["hidden size", String(encoder.tokenStates.cols)],
    ]
    if !context.session.reproducibleOutputs { rows.append(["time", record.provenance]) }
    context.display(Table(columns: ["encoder", "value"], rows: rows, title: "MiniLM encoding", numericColumns: [1],
                          footer: "next: `sae train` or `sae load PATH`"))
    return .none
  }
}
