import Foundation
import VistaCore
import VistaEncode

/// `sae load PATH`: a Gemma Scope params.npz or an SAELens folder.
struct SAELoadCommand: Command {
  let spec = CommandSpec(
    ["sae", "load"], group: .representation, summary: "Load an SAE (Gemma Scope params.npz, SAELens folder) and apply it to the captions",
    arguments: [ArgumentSpec("PATH", .path, "a Gemma Scope params.npz, an SAELens folder or its sae_weights.safetensors")],
    examples: ["sae load gemma-scope/params.npz"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let input = try invocation.existingInput("PATH", what: "SAE file or folder", allowFolder: true)
    try context.atomically {
      try context.runStage(.sae, ["path": input.path, "stamp": input.stamp], invocation: invocation, title: "sae load")
      if context.session.record(.encoder) != nil { try SAEApplyCommand.applyAfterSAE(context) }
    }
    context.display(try SAEInfoCommand.table(context))
    return .none
  }
}

/// `sae train latents=4096 k=32 epochs=2 seed=…`: a TopK SAE on the encoder's token states.
struct SAETrainCommand: Command {
  let spec = CommandSpec(
    ["sae", "train"], group: .representation, summary: "Train a TopK SAE on the encoded token states, then apply it to the captions",
    options: [
      OptionSpec("latents", .integer(min: 8, max: 1 << 20), default: "4096", "number of latents (dictionary size)"),
      OptionSpec("k", .integer(min: 1), default: "32", "active latents per token (TopK)"),
      OptionSpec("epochs", .integer(min: 1, max: 1000), default: "2", "passes over the token states"),
      OptionSpec("batch", .integer(min: 8), default: "1024", "tokens per Adam step"),
      OptionSpec("lr", .number(min: 0), default: "0.001", "Adam learning rate"),
      OptionSpec("seed", .integer(min: 0), "random seed (default: the session's)"),
      OptionSpec("on", .choice(["tokens", "sentences"]), default: "tokens", "train on token states (pooled per caption afterwards) or on sentence embeddings"),
    ],
    details: "Reports reconstruction (fraction of variance explained), L0 and the dead-latent fraction.",
    examples: ["sae train latents=4096 k=32 epochs=2", "sae train latents=512 k=16 epochs=4 seed=3"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    try Prerequisites.check(.codes, session: context.session, at: invocation.position)
    guard context.session.record(.encoder) != nil else {
      throw CommandError(.stageNotReady, "training needs token states: run `encode` (or `activations load PATH`) first", at: invocation.position)
    }
    try context.atomically {
      try context.runStage(.sae, invocation.canonicalOptions(), invocation: invocation, title: "sae train")
      try SAEApplyCommand.applyAfterSAE(context)
    }
    context.display(try SAEInfoCommand.table(context))
    return .none
  }
}

/// `sae apply [pooling=max]`: the SAE over every token, pooled per caption into caption codes.
struct SAEApplyCommand: Command {
  let spec = CommandSpec(
    ["sae", "apply"], group: .representation, summary: "Apply the SAE to the token states (MiniLM or `activations load`) and pool the codes per caption",
    options: [OptionSpec("pooling", .choice(["max", "mean", "sum"]), default: "max", "how token codes become one code per caption"),
              OptionSpec("source", .choice(["tokens", "sentences"]), default: "tokens", "apply to token states (then pool) or to the sentence embeddings")],
    examples: ["sae apply pooling=mean", "sae apply source=sentences"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let record = try context.runStage(.codes, invocation.canonicalOptions(), invocation: invocation, title: "sae apply")
    context.display(CodesSummary.table(try context.session.require(.codes, as: SparseMatrix.self), record: record, context: context))
    return .none
  }

  /// After the SAE or its input changed: checks that the SAE reads activations as wide as the
  /// encoder's (a clear d_in error otherwise), then (re)makes the caption codes with the current
  /// pooling (max unless set).
  static func applyAfterSAE(_ context: CommandContext) throws {
    try RepresentationStages.checkInputDimension(context.session)
    let previous = context.session.record(.codes)?.parameters.values
    guard previous?["path"] == nil else { return }  // codes brought with `codes load` stay as they are
    let pooling = previous?["pooling"] ?? "max"
    let trainedOnSentences = context.session.record(.sae)?.parameters.values["on"] == "sentences"
    let source = trainedOnSentences ? "sentences" : (previous?["source"] ?? "tokens")
    try context.withProgress("sae apply") { progress in
      try context.session.run(.codes, parameters: StageParameters(["pooling": pooling, "source": source]),
                              command: "sae apply pooling=\(pooling) source=\(source)", progress: progress)
    }
  }
}

/// `sae info`: the SAE's shape and quality (FVE, L0, dead fraction) and its caption codes.
struct SAEInfoCommand: Command {
  let spec = CommandSpec(["sae", "info"], group: .representation, summary: "Show the SAE: shape, reconstruction (FVE), L0, dead latents")

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    context.display(try Self.table(context))
    return .none
  }

  static func table(_ context: CommandContext) throws -> Table {
    let sae = try context.fresh(.sae, as: SAEResult.self, title: "sae")
    var rows = [
      ["source", sae.displayName],
      ["architecture", sae.sae.architecture.description], ["input dimension", String(sae.sae.inputDimension)],
      ["latents", String(sae.sae.latentCount)],
    ]
    if let r = sae.report {
      rows += [
        ["fraction of variance explained", String(format: "%.4f", r.fractionOfVarianceExplained)],
        ["L0 per token", String(format: "%.1f", r.meanL0)], ["dead latents", String(format: "%.2f%%", r.deadFraction * 100)],
        ["training", "\(r.tokens) tokens, \(r.steps) steps, \(r.epochLosses.count) epochs"],
      ]
      if !context.session.reproducibleOutputs { rows.append(["training time", String(format: "%.1f s", r.seconds)]) }
    }
    if context.session.isFresh(.codes), let codes = context.session.result(.codes, as: SparseMatrix.self) {
      let silent = codes.columnCounts.filter { $0 == 0 }.count
      rows.append(["L0 per caption (pooled)", String(format: "%.1f", Double(codes.nonZeroCount) / Double(max(codes.rows, 1)))])
      rows.append(["latents silent on every caption", String(format: "%.2f%%", Double(silent) * 100 / Double(max(codes.cols, 1)))])
    }
    return Table(columns: ["SAE", "value"], rows: rows, title: "Sparse autoencoder")
  }
}
