import Foundation
import JupyterKernel

/// `help [COMMAND]`: every command grouped by stage, or one command's options with their defaults.
struct HelpCommand: Command {
  let spec = CommandSpec(
    ["help"], group: .basics, summary: "List the commands, or document one command's options and defaults",
    arguments: [ArgumentSpec("COMMAND", .text, required: false, takesRest: true, "a command, e.g. `layout` or `sae train`")],
    examples: ["help", "help layout", "help sae train"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let (text, html) = try Self.helpText(for: invocation.string("COMMAND"), registry: context.registry, at: invocation)
    context.display(MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html)]))
    return .none
  }

  /// The overview, or the documentation of the named command(s); unknown names suggest the closest verb.
  static func helpText(for name: String?, registry: CommandRegistry, at invocation: Invocation) throws -> (text: String, html: String) {
    guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return HelpText.overview(registry) }
    let words = name.split(separator: " ").map(String.init)
    let matching = registry.commands.filter { Array($0.spec.words.prefix(words.count)) == words }
    if !matching.isEmpty { return HelpText.commands(matching) }
    if let command = registry.longestMatch(words)?.command { return HelpText.command(command.spec) }
    throw CommandError(.unknownCommand, "no command '\(name)'" + EditDistance.hint(for: words[0], among: registry.verbs),
                       at: invocation.argumentPositions["COMMAND"] ?? invocation.position)
  }
}
