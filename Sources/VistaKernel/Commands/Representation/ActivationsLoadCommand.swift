import Foundation
import VistaCore

/// `activations load PATH [caption_index=PATH | offsets=PATH] [rows=tokens|captions] [tensor=NAME]`: activations
/// computed elsewhere (a Gemma layer, any model) take the encoder's place, so `sae load params.npz` applies to them.
struct ActivationsLoadCommand: Command {
  let spec = CommandSpec(
    ["activations", "load"], group: .representation,
    summary: "Use activations computed elsewhere (tokens x d_in or captions x d_in) in place of `encode`",
    arguments: [ArgumentSpec("PATH", .path, "a .npy, or a .safetensors (tensor `states` or its only 2-D tensor; `caption_offsets` is used when present)")],
    options: [
      OptionSpec("caption_index", .path, "token-level rows: an integer .npy with the caption (0-based row of the dataset) of each token row"),
      OptionSpec("offsets", .path, "token-level rows: an integer .npy of captions + 1 boundaries (as `vista encode --tokens` writes)"),
      OptionSpec("rows", .choice(["tokens", "captions"]), "what one row is (default: tokens when an index or offsets are given, else captions)"),
      OptionSpec("tensor", .text, "the tensor to read from a .safetensors file"),
    ],
    details: """
      Load the captions first (`load PATH`): the activations' rows must match them. Then `sae load PATH` (a Gemma Scope \
      params.npz or an SAELens folder) applies the SAE batched through BLAS and pools token codes per caption \
      (`sae apply pooling=max|mean|sum`); `sae train` trains one on them instead. The file's size and modification \
      time are part of the cache key, so an edited file is read again.
      """,
    examples: ["activations load acts.npy rows=captions", "activations load tokens.npy caption_index=token_caption.npy",
               "activations load layer12.safetensors tensor=resid"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    var parameters: [String: String] = [:]
    parameters["activations"] = try Self.existingFile(invocation, "PATH", stampKey: "stamp", into: &parameters)
    for key in ["caption_index", "offsets"] where invocation.has(key) {
      parameters[key] = try Self.existingFile(invocation, key, stampKey: "\(key)_stamp", into: &parameters)
    }
    if invocation.has("caption_index"), invocation.has("offsets") {
      throw CommandError(.badValue, "give caption_index or offsets, not both", at: invocation.optionPositions["offsets"])
    }
    if invocation.string("rows") == "captions", invocation.has("caption_index") || invocation.has("offsets") {
      throw CommandError(.badValue, "rows=captions takes no caption_index or offsets (one row per caption)", at: invocation.optionPositions["rows"])
    }
    for key in ["rows", "tensor"] { if let v = invocation.string(key) { parameters[key] = v } }
    let record = try context.atomically { () throws -> StageRecord in
      let record = try context.runStage(.encoder, parameters, invocation: invocation, title: "activations load")
      if context.session.record(.sae) != nil { try SAEApplyCommand.applyAfterSAE(context) }
      return record
    }
    let encoder = try context.session.require(.encoder, as: EncoderResult.self)
    let captions = encoder.captionOffsets.count - 1
    var rows = [
      ["file", ((encoder.source ?? "") as NSString).lastPathComponent],
      ["rows", String(encoder.tokenStates.rows)], ["d_in", String(encoder.tokenStates.cols)], ["captions", String(captions)],
      ["rows per caption (mean)", String(format: "%.2f", Double(encoder.tokenStates.rows) / Double(max(captions, 1)))],
    ]
    if !context.session.reproducibleOutputs { rows.append(["time", record.provenance]) }
    context.display(Table(columns: ["activations", "value"], rows: rows, title: "Activations", numericColumns: [1],
                          footer: context.session.record(.sae) == nil ? "next: `sae load PATH` (d_in must be \(encoder.tokenStates.cols)) or `sae train`" : nil))
    return .none
  }

  /// The absolute path of a file argument or option (see `Invocation.existingInput`); records its stamp.
  static func existingFile(_ invocation: Invocation, _ name: String, stampKey: String, into parameters: inout [String: String]) throws -> String {
    let what = name == "PATH" ? "activations file" : name.replacingOccurrences(of: "_", with: " ") + " file"
    let input = try invocation.existingInput(name, what: what)
    parameters[stampKey] = input.stamp
    return input.path
  }
}
