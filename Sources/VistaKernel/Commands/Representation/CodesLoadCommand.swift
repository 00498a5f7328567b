import Foundation
import VistaCore

/// `codes load PATH`: bring caption codes computed elsewhere (captions x latents, CSR .npz/.safetensors or dense .npy).
struct CodesLoadCommand: Command {
  let spec = CommandSpec(
    ["codes", "load"], group: .representation, summary: "Use caption codes computed elsewhere (one row per caption, one column per latent)",
    arguments: [ArgumentSpec("PATH", .path, "a CSR .npz (scipy.sparse.save_npz) or .safetensors, or a dense .npy")],
    examples: ["codes load codes.npz"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let input = try invocation.existingInput("PATH", what: "codes file")
    let record = try context.runStage(.codes, ["path": input.path, "stamp": input.stamp], invocation: invocation)
    let codes = try context.session.require(.codes, as: SparseMatrix.self)
    context.display(CodesSummary.table(codes, record: record, context: context).bundle)
    return .none
  }
}

/// A short description of caption codes: shape, non-zeros, L0, active latents.
enum CodesSummary {
  static func table(_ codes: SparseMatrix, record: StageRecord?, context: CommandContext) -> Table {
    let l0 = codes.rows > 0 ? Double(codes.nonZeroCount) / Double(codes.rows) : 0
    let alive = codes.columnCounts.filter { $0 > 0 }.count
    var rows = [
      ["captions", String(codes.rows)], ["latents", String(codes.cols)], ["non-zeros", String(codes.nonZeroCount)],
      ["mean L0 per caption", String(format: "%.1f", l0)], ["latents active on some caption", "\(alive) of \(codes.cols)"],
    ]
    if let record, !context.session.reproducibleOutputs { rows.append(["source", record.provenance]) }
    return Table(columns: ["codes", "value"], rows: rows, title: "Caption codes", numericColumns: [1])
  }
}
