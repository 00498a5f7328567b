import JupyterKernel

/// Shift-tab: the documentation of the verb, subject or option under the cursor.
struct Inspection {
  let registry: CommandRegistry

  func inspect(code: String, cursorPos: Int, detailLevel: Int) -> MimeBundle? {
    let line = CursorLine(code: code, cursorPos: cursorPos)
    guard let token = line.tokenAtCursor else { return nil }
    let words = String(line.characters).split(whereSeparator: \.isWhitespace).map(String.init)
    var bare: [String] = []
    for w in words { guard !w.contains("="), !w.hasPrefix("-"), !w.hasPrefix("\"") else { break }; bare.append(w) }
    guard let spec = registry.longestMatch(bare)?.command.spec ?? fallbackSpec(bare) else { return nil }

    if let eq = token.text.firstIndex(of: "=") {
      let key = String(token.text[..<eq])
      guard let option = spec.option(key) else { return nil }
      let text = "\(spec.name) " + HelpText.optionLine(option)
      return MimeBundle(data: ["text/plain": .string(text), "text/html": .string("<p><code>\(HTML.escape(spec.name))</code> \(HTML.escape(HelpText.optionLine(option)))</p>")])
    }
    if token.text.hasPrefix("--"), let flag = spec.flags.first(where: { "--" + $0.name == token.text }) {
      return MimeBundle.text("\(spec.name) --\(flag.name): \(flag.doc)")
    }
    if let argument = argumentDoc(spec: spec, token: token.text, words: words) { return argument }
    // Level 0 (shift-tab) and 1 (shift-tab twice) both get the full help: a command's help is short.
    let (text, html) = HelpText.command(spec)
    return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html)])
  }

  /// A verb with only subcommands (`sae`): document the first one so shift-tab still helps.
  func fallbackSpec(_ bare: [String]) -> CommandSpec? {
    guard let verb = bare.first else { return nil }
    return registry.commands(withVerb: verb).first?.spec
  }

  func argumentDoc(spec: CommandSpec, token: String, words: [String]) -> MimeBundle? {
    guard let index = words.firstIndex(of: token), index >= spec.words.count else { return nil }
    let position = index - spec.words.count
    guard position < spec.arguments.count else { return nil }
    let a = spec.arguments[position]
    return MimeBundle.text("\(spec.name) \(a.name): \(a.doc) (\(a.kind.expected))")
  }
}
