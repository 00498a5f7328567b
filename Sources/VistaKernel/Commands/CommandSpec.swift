/// The groups `help` lists commands under, in the order of the VISTA pipeline.
public enum CommandGroup: String, CaseIterable, Sendable {
  case basics, dataset, representation, selection, layout, fidelity, map, render, session

  public var title: String {
    switch self {
    case .basics: return "Basics"
    case .dataset: return "Dataset"
    case .representation: return "Representation (encoder, SAE, latents)"
    case .selection: return "Selection"
    case .layout: return "Layout"
    case .fidelity: return "Fidelity"
    case .map: return "Map"
    case .render: return "Render and explore"
    case .session: return "Session"
    }
  }
}

/// One `key=value` option: its name, accepted form, default and documentation.
public struct OptionSpec: Sendable, Equatable {
  public var name: String
  public var kind: OptionKind
  /// The default as the user would type it (nil: no default; the option is then optional or required).
  public var defaultValue: String?
  public var required: Bool
  public var doc: String

  public init(_ name: String, _ kind: OptionKind, default defaultValue: String? = nil, required: Bool = false, _ doc: String) {
    self.name = name; self.kind = kind; self.defaultValue = defaultValue; self.required = required; self.doc = doc
  }
}

/// A positional argument (`load PATH`, `sleep SECONDS`).
public struct ArgumentSpec: Sendable, Equatable {
  public var name: String
  public var kind: OptionKind
  public var required: Bool
  /// Takes the raw rest of the line (`echo TEXT`), quotes included unless it is one quoted string.
  public var takesRest: Bool
  public var doc: String
  /// Words offered by completion for this argument besides what its kind suggests (`demo`, `wordnet`).
  public var suggestions: [String]

  public init(_ name: String, _ kind: OptionKind, required: Bool = true, takesRest: Bool = false,
              suggestions: [String] = [], _ doc: String) {
    self.name = name; self.kind = kind; self.required = required; self.takesRest = takesRest
    self.suggestions = suggestions; self.doc = doc
  }
}

/// A `--name` switch.
public struct FlagSpec: Sendable, Equatable {
  public var name: String
  public var doc: String
  public init(_ name: String, _ doc: String) { self.name = name; self.doc = doc }
}

/// Everything `help`, completion and inspection know about a command, and what the binder checks.
public struct CommandSpec: Sendable, Equatable {
  /// The verb and any fixed subject words: ["sae", "train"], ["render", "plan", "preview"].
  public var words: [String]
  public var group: CommandGroup
  public var summary: String
  public var arguments: [ArgumentSpec]
  public var options: [OptionSpec]
  public var flags: [FlagSpec]
  /// Longer discussion shown by `help VERB`.
  public var details: String
  public var examples: [String]
  /// Options not in `options` are kept raw in `Invocation.freeOptions` for the command to check (`sweep`).
  public var acceptsOtherOptions: Bool

  public init(_ words: [String], group: CommandGroup, summary: String, arguments: [ArgumentSpec] = [],
              options: [OptionSpec] = [], flags: [FlagSpec] = [], details: String = "", examples: [String] = [],
              acceptsOtherOptions: Bool = false) {
    self.words = words; self.group = group; self.summary = summary; self.arguments = arguments
    self.options = options; self.flags = flags; self.details = details; self.examples = examples
    self.acceptsOtherOptions = acceptsOtherOptions
  }

  public var verb: String { words[0] }
  public var name: String { words.joined(separator: " ") }

  public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }

  /// `sae train [latents=4096] [k=32] ...`
  public var usage: String {
    var parts = words
    for a in arguments {
      let n = a.takesRest ? "\(a.name)..." : a.name
      parts.append(a.required ? n : "[\(n)]")
    }
    for f in flags { parts.append("[--\(f.name)]") }
    for o in options {
      let form = o.defaultValue.map { "\(o.name)=\($0)" } ?? "\(o.name)=…"
      parts.append(o.required ? form : "[\(form)]")
    }
    return parts.joined(separator: " ")
  }
}
