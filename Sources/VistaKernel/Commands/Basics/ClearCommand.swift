/// `clear [--wait]`: clears the cell's output (clear_output).
struct ClearCommand: Command {
  let spec = CommandSpec(
    ["clear"], group: .basics, summary: "Clear the cell's output",
    flags: [FlagSpec("wait", "clear only when the next output arrives (avoids flicker)")])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    context.execution.clearOutput(wait: invocation.hasFlag("wait"))
    return .none
  }
}
