import Foundation

/// `set seed=N threads=N`: session defaults (every random step without its own seed= takes the session seed).
struct SetCommand: Command {
  let spec = CommandSpec(
    ["set"], group: .session, summary: "Set session defaults: the seed every random step uses, worker threads",
    options: [
      OptionSpec("seed", .integer(min: 0), "the session seed (default 1); stages that use it become stale"),
      OptionSpec("threads", .integer(min: 1, max: 1024), "worker threads for layouts and sweeps (default: all cores)"),
    ],
    details: "Without options, shows the current defaults.",
    examples: ["set seed=7", "set threads=2"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    var defaults = context.session.defaults
    for key in invocation.explicit.sorted() { defaults[key] = invocation.value(key)?.description }
    if !invocation.explicit.isEmpty { context.session.defaults = defaults }
    let rows = defaults.keys.sorted().map { [$0, defaults[$0] ?? ""] }
    context.display(Table(columns: ["default", "value"], rows: rows, title: "Session defaults"))
    return .none
  }
}
