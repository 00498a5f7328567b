import VistaCore
import VistaData
import VistaEncode

/// `latents [sort=frequency|max] [top=20]`: the most frequent or strongest latents with their top captions.
struct LatentsCommand: Command {
  let spec = CommandSpec(
    ["latents"], group: .representation, summary: "List the most frequent (or strongest) latents with their top captions",
    options: [
      OptionSpec("sort", .choice(["frequency", "max"]), default: "frequency", "rank by how many captions activate a latent, or by its max activation"),
      OptionSpec("top", .integer(min: 1, max: 10_000), default: "20", "how many latents"),
      OptionSpec("captions", .integer(min: 1, max: 20), default: "3", "top captions shown per latent"),
      OptionSpec("page", .integer(min: 1), default: "1", "which page of the table"),
    ],
    examples: ["latents", "latents sort=max top=50"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    try Prerequisites.check(.selection, session: context.session, at: invocation.position)
    let codes = try context.fresh(.codes, as: SparseMatrix.self, title: "codes")
    let captions = try context.session.require(.dataset, as: CaptionSet.self)
    let stats = LatentStatistics(codes: codes)
    let ranking: LatentStatistics.Ranking = invocation.string("sort") == "max" ? .maxActivation : .frequency
    let latents = stats.rankedLatents(by: ranking).prefix(invocation.int("top") ?? 20)
    let perLatent = invocation.int("captions") ?? 3
    let rows = latents.map { latent -> [String] in
      let top = stats.topCaptions(latent: latent, count: perLatent).map { captions.texts[$0.row] }
      return [String(latent), String(stats.activeCount[latent]), String(format: "%.2f%%", stats.frequency[latent] * 100),
              String(format: "%.3f", stats.maxActivation[latent]), top.joined(separator: " · ")]
    }
    let table = Table(columns: ["latent", "captions", "frequency", "max", "top captions"], rows: rows,
                      title: "Latents by \(ranking == .frequency ? "frequency" : "max activation")", numericColumns: [0, 1, 2, 3],
                      footer: "map one with `select latent=N top=2%`")
      .page(invocation.int("page") ?? 1, size: 25) { "`latents page=\($0)`" }
    context.display(table)
    context.session.recordOutputCommand(invocation.text, requires: .codes)
    return .none
  }
}
