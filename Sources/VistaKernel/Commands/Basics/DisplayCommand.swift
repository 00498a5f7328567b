import JupyterKernel

/// `display TEXT`: a display_data with the text as text/plain and as (escaped) text/html.
struct DisplayCommand: Command {
  let spec = CommandSpec(
    ["display"], group: .basics, summary: "Show text as a rich display (text/plain and text/html)",
    arguments: [ArgumentSpec("TEXT", .text, takesRest: true, "the text to show")],
    options: [],
    examples: ["display \"hello, world\""])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let text = invocation.string("TEXT") ?? ""
    context.display(MimeBundle(data: ["text/plain": .string(text), "text/html": .string("<p>\(HTML.escape(text))</p>")]))
    return .none
  }
}
