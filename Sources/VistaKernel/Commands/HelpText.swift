/// The documentation `help`, `page` and inspection show, as text and HTML, built from the specs.
enum HelpText {
  static func overview(_ registry: CommandRegistry) -> (text: String, html: String) {
    var text = ["VISTA commands (one per line; `help COMMAND` for its options):"]
    var html = "<div class=\"vista-help\"><p>VISTA commands (one per line; <code>help COMMAND</code> for its options):</p>"
    for group in CommandGroup.allCases {
      let members = registry.commands.filter { $0.spec.group == group }
      guard !members.isEmpty else { continue }
      let width = members.map { $0.spec.name.count }.max() ?? 0
      text.append("")
      text.append(group.title)
      html += "<h4 style=\"margin:8px 0 2px\">\(HTML.escape(group.title))</h4><table style=\"font-size:13px\">"
      for c in members {
        let pad = String(repeating: " ", count: width - c.spec.name.count)
        text.append("  \(c.spec.name)\(pad)  \(c.spec.summary)")
        html += "<tr><td style=\"padding:0 12px 0 0\"><code>\(HTML.escape(c.spec.name))</code></td><td>\(HTML.escape(c.spec.summary))</td></tr>"
      }
      html += "</table>"
    }
    text.append("")
    text.append("A line that is an arithmetic expression (e.g. 6*7) prints its value. `#` starts a comment; a line ending in \\ continues.")
    html += "<p>A line that is an arithmetic expression (e.g. <code>6*7</code>) prints its value. <code>#</code> starts a comment; a line ending in <code>\\</code> continues.</p></div>"
    return (text.joined(separator: "\n"), html)
  }

  /// Help for every command starting with `words` (e.g. all `sae` subcommands for "sae").
  static func commands(_ commands: [any Command]) -> (text: String, html: String) {
    let parts = commands.map { command($0.spec) }
    return (parts.map(\.text).joined(separator: "\n\n"), parts.map(\.html).joined(separator: "<hr/>"))
  }

  static func command(_ spec: CommandSpec) -> (text: String, html: String) {
    var text = ["\(spec.usage)", "", spec.summary]
    var html = "<div class=\"vista-help\"><p><code>\(HTML.escape(spec.usage))</code></p><p>\(HTML.escape(spec.summary))</p>"
    if !spec.details.isEmpty {
      text += ["", spec.details]
      html += "<p>\(HTML.escape(spec.details))</p>"
    }
    if !spec.arguments.isEmpty {
      text += ["", "Arguments:"]
      html += "<p><b>Arguments</b></p><ul>"
      for a in spec.arguments {
        let extra = a.suggestions.isEmpty ? "" : " (or " + a.suggestions.joined(separator: ", ") + ")"
        let req = a.required ? "" : " (optional)"
        text.append("  \(a.name)\(req): \(a.doc) — \(a.kind.expected)\(extra)")
        html += "<li><code>\(HTML.escape(a.name))</code>\(req): \(HTML.escape(a.doc)) — \(HTML.escape(a.kind.expected + extra))</li>"
      }
      html += "</ul>"
    }
    if !spec.flags.isEmpty {
      text += ["", "Flags:"]
      html += "<p><b>Flags</b></p><ul>"
      for f in spec.flags {
        text.append("  --\(f.name): \(f.doc)")
        html += "<li><code>--\(HTML.escape(f.name))</code>: \(HTML.escape(f.doc))</li>"
      }
      html += "</ul>"
    }
    if !spec.options.isEmpty {
      text += ["", "Options:"]
      html += "<p><b>Options</b></p><table style=\"font-size:13px\"><tr><th align=left>option</th><th align=left>default</th><th align=left>accepts</th><th align=left>meaning</th></tr>"
      for o in spec.options {
        text.append("  " + optionLine(o))
        let def = o.defaultValue ?? (o.required ? "required" : "none")
        html += "<tr><td><code>\(HTML.escape(o.name))</code></td><td><code>\(HTML.escape(def))</code></td><td>\(HTML.escape(o.kind.expected))</td><td>\(HTML.escape(o.doc))</td></tr>"
      }
      html += "</table>"
    }
    if !spec.examples.isEmpty {
      text += ["", "Examples:"] + spec.examples.map { "  " + $0 }
      html += "<p><b>Examples</b></p><pre>" + spec.examples.map(HTML.escape).joined(separator: "\n") + "</pre>"
    }
    return (text.joined(separator: "\n"), html + "</div>")
  }

  /// "neighbors=15 — number of neighbours … (an integer ≥ 2; default 15)"
  static func optionLine(_ o: OptionSpec) -> String {
    let def = o.defaultValue.map { "default \($0)" } ?? (o.required ? "required" : "no default")
    return "\(o.name)=\(o.defaultValue ?? "…"): \(o.doc) (\(o.kind.expected); \(def))"
  }
}
