/// `reset [STAGE]`: forget a stage and everything after it (or the whole session); caches stay.
struct ResetCommand: Command {
  let spec = CommandSpec(
    ["reset"], group: .session, summary: "Forget a stage and everything downstream of it (or the whole session); caches are kept",
    arguments: [ArgumentSpec("STAGE", .stage, required: false, "the first stage to forget (default: all)")],
    examples: ["reset layout", "reset"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let stage = invocation.string("STAGE").flatMap { Stage(name: $0) }
    context.session.reset(stage)
    context.write(stage.map { "reset \($0.rawValue) and every stage after it\n" } ?? "reset the whole session\n")
    return .none
  }
}
