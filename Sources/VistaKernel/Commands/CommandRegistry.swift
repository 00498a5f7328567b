import Foundation
import VistaData

/// The commands the language knows, and the binder that turns a tokenised line into an `Invocation`.
public final class CommandRegistry: @unchecked Sendable {
  public private(set) var commands: [any Command] = []

  public init(_ commands: [any Command] = []) {
    for c in commands { register(c) }
  }

  public func register(_ command: any Command) {
    precondition(!commands.contains { $0.spec.words == command.spec.words }, "duplicate command \(command.spec.name)")
    commands.append(command)
  }

  /// Every verb, in registration order, without repeats.
  public var verbs: [String] {
    var seen = Set<String>()
    return commands.map(\.spec.verb).filter { seen.insert($0).inserted }
  }

  public func commands(withVerb verb: String) -> [any Command] { commands.filter { $0.spec.verb == verb } }

  /// The command whose words are the longest prefix of `words`.
  public func longestMatch(_ words: [String]) -> (command: any Command, wordCount: Int)? {
    var best: (any Command, Int)?
    for c in commands {
      let w = c.spec.words
      guard w.count <= words.count, Array(words.prefix(w.count)) == w else { continue }
      if best == nil || w.count > best!.1 { best = (c, w.count) }
    }
    return best
  }

  /// Subject words that may follow `prefix` (e.g. ["load", "train", "info"] after ["sae"]).
  public func subjects(after prefix: [String]) -> [String] {
    var seen = Set<String>()
    var out: [String] = []
    for c in commands where c.spec.words.count > prefix.count && Array(c.spec.words.prefix(prefix.count)) == prefix {
      let w = c.spec.words[prefix.count]
      if seen.insert(w).inserted { out.append(w) }
    }
    return out
  }

  // MARK: - Binding

  /// Binds one logical line to its command: finds the command by its leading words, then checks
  /// positional arguments, options and flags against the spec, filling in defaults.
  public func bind(_ line: LogicalLine) throws -> (command: any Command, invocation: Invocation) {
    let tokens = try Tokenizer.tokens(of: line)
    guard let first = tokens.first else { throw CommandError(.syntaxError, "empty command", at: line.start) }
    guard first.isBareWord, verbs.contains(first.text) else {
      let shown = first.isOption ? "\(first.key ?? "")=\(first.text)" : first.text
      throw CommandError(.unknownCommand, "unknown command '\(shown)'" + EditDistance.hint(for: first.text, among: verbs),
                         at: line.position(at: first.start))
    }
    var words: [String] = []
    for t in tokens { guard t.isBareWord else { break }; words.append(t.text) }
    guard let (command, wordCount) = longestMatch(words) else {
      // The verb exists only with subjects, and the next word is none of them.
      let subjects = self.subjects(after: [first.text])
      if tokens.count > 1, tokens[1].isBareWord {
        throw CommandError(.unknownCommand,
                           "unknown subcommand '\(tokens[1].text)' for \(first.text)"
                             + EditDistance.hint(for: tokens[1].text, among: subjects)
                             + " (one of: \(subjects.joined(separator: ", ")))",
                           at: line.position(at: tokens[1].start))
      }
      throw CommandError(.missingArgument, "\(first.text) needs a subcommand: \(subjects.joined(separator: ", "))",
                         at: line.position(at: first.end))
    }
    let invocation = try Self.bind(command.spec, tokens: Array(tokens.dropFirst(wordCount)), line: line,
                                   subjectHint: subjects(after: command.spec.words))
    return (command, invocation)
  }

  static func bind(_ spec: CommandSpec, tokens: [Token], line: LogicalLine, subjectHint: [String]) throws -> Invocation {
    var invocation = Invocation(spec: spec, line: line, arguments: [:], options: [:], explicit: [], flags: [],
                                optionPositions: [:], argumentPositions: [:])
    var positionalIndex = 0
    var index = 0
    while index < tokens.count {
      let token = tokens[index]
      let at = line.position(at: token.start)
      switch token.kind {
      case .flag:
        guard spec.flags.contains(where: { $0.name == token.text }) else {
          let names = spec.flags.map(\.name)
          let hint = NameSuggestion.closest(to: token.text, in: names).map { "; did you mean '--\($0)'?" } ?? ""
          throw CommandError(.badOption, "unknown flag '--\(token.text)' for `\(spec.name)`" + hint, at: at)
        }
        invocation.flags.insert(token.text)
      case .option(let key):
        if spec.option(key) == nil, spec.acceptsOtherOptions {
          if invocation.freeOptions.contains(where: { $0.key == key }) {
            throw CommandError(.badOption, "option \(key) is given twice", at: at)
          }
          invocation.freeOptions.append((key, token.text, line.position(at: token.valueStart), at))
          index += 1
          continue
        }
        guard let option = spec.option(key) else {
          if positionalIndex < spec.arguments.count, spec.arguments[positionalIndex].takesRest {
            try bindRest(spec.arguments[positionalIndex], from: token, line: line, into: &invocation)
            return try finish(invocation, spec: spec, line: line, positionalIndex: positionalIndex + 1)
          }
          let names = spec.options.map(\.name)
          let known = names.isEmpty ? " (it takes no options)" : ""
          throw CommandError(.badOption, "unknown option '\(key)' for `\(spec.name)`"
                               + EditDistance.hint(for: key, among: names) + known, at: at)
        }
        if invocation.explicit.contains(key) {
          throw CommandError(.badOption, "option \(key) is given twice", at: at)
        }
        let valueAt = line.position(at: token.valueStart)
        guard !token.text.isEmpty else {
          throw CommandError(.badValue, "option \(key) needs a value: \(option.kind.expected)", at: valueAt)
        }
        guard let value = option.kind.accept(Value.parse(token.text)) else {
          throw CommandError(.badValue, "option \(key) expects \(option.kind.expected), got '\(token.text)'", at: valueAt)
        }
        invocation.options[key] = value
        invocation.explicit.insert(key)
        invocation.optionPositions[key] = valueAt
      case .word:
        guard positionalIndex < spec.arguments.count else {
          var message = "unexpected argument '\(token.text)' for `\(spec.name)`"
          if let hint = quoteHint(tokens, index, spec) {
            message += hint
          } else if !subjectHint.isEmpty, token.isBareWord {
            message += EditDistance.hint(for: token.text, among: subjectHint)
          } else if !spec.options.isEmpty {
            message += "; options are written key=value"
          }
          throw CommandError(.unexpectedArgument, message, at: at)
        }
        let argument = spec.arguments[positionalIndex]
        if argument.takesRest {
          try bindRest(argument, from: token, line: line, into: &invocation)
          return try finish(invocation, spec: spec, line: line, positionalIndex: positionalIndex + 1)
        }
        let raw = token.kind == .word(quoted: true) ? Value.string(token.text) : Value.parse(token.text)
        let accepted = argument.suggestions.contains(token.text) ? Value.word(token.text) : argument.kind.accept(raw)
        guard let value = accepted else {
          throw CommandError(.badValue, "\(argument.name) expects \(argument.kind.expected), got '\(token.text)'"
                               + (quoteHint(tokens, index, spec) ?? ""), at: at)
        }
        invocation.arguments[argument.name] = value
        invocation.argumentPositions[argument.name] = at
        positionalIndex += 1
      }
      index += 1
    }
    return try finish(invocation, spec: spec, line: line, positionalIndex: positionalIndex)
  }

  /// "; quote a value with spaces: search=\"red bird\"" when the word follows a text option's value.
  static func quoteHint(_ tokens: [Token], _ index: Int, _ spec: CommandSpec) -> String? {
    guard index > 0, let key = tokens[index - 1].key, let kind = spec.option(key)?.kind, kind == .text || kind == .path else {
      return nil
    }
    return "; quote a value with spaces: \(key)=\"\(tokens[index - 1].text) \(tokens[index].text)\""
  }

  /// Takes the raw rest of the line from `token` on: one quoted string is unquoted, anything else kept as typed.
  static func bindRest(_ argument: ArgumentSpec, from token: Token, line: LogicalLine, into invocation: inout Invocation) throws {
    let rest = String(line.characters[token.start...]).trimmingCharacters(in: .whitespaces)
    let nothingAfter = line.characters[min(token.end, line.characters.count)...].allSatisfy(\.isWhitespace)
    let onlyOneQuoted = token.kind == .word(quoted: true) && nothingAfter
    invocation.arguments[argument.name] = .string(onlyOneQuoted ? token.text : rest)
    invocation.argumentPositions[argument.name] = line.position(at: token.start)
  }

  static func finish(_ partial: Invocation, spec: CommandSpec, line: LogicalLine, positionalIndex: Int) throws -> Invocation {
    var invocation = partial
    let end = line.position(at: line.characters.count)
    for argument in spec.arguments.dropFirst(positionalIndex) where argument.required {
      throw CommandError(.missingArgument, "`\(spec.name)` needs \(argument.name): \(argument.doc)", at: end)
    }
    for option in spec.options where invocation.options[option.name] == nil {
      if let text = option.defaultValue, let value = option.kind.accept(Value.parse(text)) {
        invocation.options[option.name] = value
      } else if option.required {
        throw CommandError(.missingArgument, "`\(spec.name)` needs \(option.name)=… (\(option.kind.expected)): \(option.doc)", at: end)
      }
    }
    return invocation
  }
}
