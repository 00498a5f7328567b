import JupyterKernel

/// `page COMMAND`: the command's help sent to the frontend's pager (an execute_reply payload).
struct PageCommand: Command {
  let spec = CommandSpec(
    ["page"], group: .basics, summary: "Show a command's help in the pager",
    arguments: [ArgumentSpec("COMMAND", .text, required: false, takesRest: true, "a command, e.g. `layout`")],
    examples: ["page layout"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let (text, html) = try HelpCommand.helpText(for: invocation.string("COMMAND"), registry: context.registry, at: invocation)
    let payload: JSONValue = ["source": "page", "data": ["text/plain": .string(text), "text/html": .string(html)], "start": 0]
    return CommandOutput(payload: [payload])
  }
}
