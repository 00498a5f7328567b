/// `echo [--stderr] TEXT`: writes the text to the cell's stdout (or stderr).
struct EchoCommand: Command {
  let spec = CommandSpec(
    ["echo"], group: .basics, summary: "Write text to stdout (or stderr with --stderr)",
    arguments: [ArgumentSpec("TEXT", .text, required: false, takesRest: true, "the text, as typed (quotes optional)")],
    flags: [FlagSpec("stderr", "write to stderr instead of stdout")],
    examples: ["echo hello", "echo --stderr \"something went wrong\""])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let text = (invocation.string("TEXT") ?? "") + "\n"
    if invocation.hasFlag("stderr") { context.writeError(text) } else { context.write(text) }
    return .none
  }
}
