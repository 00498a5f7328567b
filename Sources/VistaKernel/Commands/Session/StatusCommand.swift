import JupyterKernel

/// `status`: the chain as a table (stage, parameters, state, time, cache hit).
struct StatusCommand: Command {
  let spec = CommandSpec(["status"], group: .session, summary: "Show the pipeline: each stage's parameters, state, time and cache hit")

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    context.display(Self.bundle(context.session))
    return .none
  }

  static func bundle(_ session: Session) -> MimeBundle {
    let table = session.statusTable()
    return MimeBundle(data: ["text/plain": .string(table.text), "text/html": .string(table.html)])
  }
}
