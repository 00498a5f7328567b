import Foundation
import JupyterKernel
import VistaCore

/// What a headless run wrote.
public struct HeadlessRunSummary: Sendable, Equatable {
  /// Commands executed.
  public var commands: Int
  /// File names written into the output folder, in order (manifest.json last).
  public var files: [String]
}

/// Runs a `.vista` script without a notebook (`vista run SCRIPT.vista --out DIR`) and writes every output
/// into a folder with stable names: `001-preview.png`, `002-gain.html`, `003-status.json`, plus `manifest.json`.
///
/// The script is split into commands and each command's lines (continuations and comments as written) are
/// executed as one cell, so an error is reported as `SCRIPT:LINE[:COLUMN]: message` and stops the run.
/// Progress bars are not written. Outputs hold no timestamps or timings: PNG time chunks are dropped,
/// durations in text are replaced by `<time>`, volatile metadata keys (`elapsed`, `seconds`, `time` …) are
/// removed, so the same script and seed give the same bytes.
public final class HeadlessRunner {
  public let interpreter: Interpreter
  public let outputDirectory: URL
  private let recorder = HeadlessOutputRecorder()
  private var written: [String] = []
  private var manifestEntries: [JSONValue] = []
  private var outputNumber = 0

  public init(interpreter: Interpreter, outputDirectory: URL) {
    self.interpreter = interpreter
    self.outputDirectory = outputDirectory
  }

  /// Forwards an interrupt (Ctrl-C) to the running command.
  public func interrupt() { recorder.interrupt() }

  /// Runs the script at `url`, a file or a pipe (`/dev/stdin`, a shell's `<(…)`).
  /// - Throws: `VistaError` located at `SCRIPT:LINE` for the first failing command (outputs written so
  ///   far, and a manifest saying where it stopped, stay in the folder), or for an unusable output folder.
  @discardableResult
  public func run(scriptAt url: URL) throws -> HeadlessRunSummary {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
      throw VistaError("no such file", at: url.path)
    }
    if isFolder.boolValue { throw VistaError("is a folder, not a .vista script", at: url.path) }
    let data: Data
    do {
      // Through a file handle: `String(contentsOf:)` refuses pipes, which have no size.
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      data = try handle.readToEnd() ?? Data()
    } catch {
      throw VistaError("cannot read script: \(error.localizedDescription)", at: url.path)
    }
    return try run(scriptData: data, name: url.path)
  }

  /// Runs a script given as bytes (standard input, say), naming it `name` in error locations.
  @discardableResult
  public func run(scriptData data: Data, name: String) throws -> HeadlessRunSummary {
    guard let text = String(data: data, encoding: .utf8) else {
      throw VistaError("the script is not UTF-8 text", at: name)
    }
    return try run(script: text, name: name)
  }

  /// Runs `script`, naming it `name` in error locations.
  @discardableResult
  public func run(script: String, name: String) throws -> HeadlessRunSummary {
    try prepareOutputDirectory()
    // Relative output paths of the script's commands (`export layout x.csv`) land in the output folder.
    (interpreter as? VistaInterpreter)?.session.outputDirectory = outputDirectory.standardizedFileURL
    let commands: [ScriptCommand]
    do {
      commands = try ScriptCommand.split(script)
    } catch {
      let whole = ScriptCommand(source: script, line: 1, text: "")
      let (location, message) = Self.locate(Self.describe(error), in: whole, script: name)
      try writeManifest(script: name, commands: 0, failure: "\(location): \(message)")
      throw VistaError(message, at: location)
    }
    for (index, command) in commands.enumerated() {
      recorder.begin(executionCount: index + 1)
      let result: ExecutionResult
      do {
        result = try interpreter.execute(code: command.source, silent: false, context: recorder)
      } catch {
        let (location, message) = Self.locate(Self.describe(error), in: command, script: name)
        try writeOutputs(of: command, value: nil)
        try writeManifest(script: name, commands: index + 1, failure: "\(location): \(message)")
        throw VistaError(message, at: location)
      }
      try writeOutputs(of: command, value: result.value)
    }
    try writeManifest(script: name, commands: commands.count, failure: nil)
    return HeadlessRunSummary(commands: commands.count, files: written)
  }

  // MARK: - Writing

  /// Creates the folder; a folder left by an earlier run (it has a manifest) is emptied of that run's
  /// files, any other non-empty folder is refused rather than mixed into.
  private func prepareOutputDirectory() throws {
    let manager = FileManager.default
    let path = outputDirectory.path
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw VistaError("output path is a file, not a folder", at: path) }
      let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? []
      if !entries.isEmpty {
        guard entries.contains("manifest.json") else {
          throw VistaError("output folder is not empty and was not written by `vista run`", at: path)
        }
        for entry in entries where Self.isRunnerFileName(entry) {
          try? manager.removeItem(at: outputDirectory.appendingPathComponent(entry))
        }
      }
    }
    do {
      try manager.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
    } catch {
      throw VistaError("cannot create output folder: \(error.localizedDescription)", at: path)
    }
    written.removeAll()
    manifestEntries.removeAll()
    outputNumber = 0
  }

  /// `manifest.json` or `NNN-name.ext`: what a run writes, and so may remove.
  static func isRunnerFileName(_ name: String) -> Bool {
    if name == "manifest.json" { return true }
    let digits = name.prefix(3)
    return digits.count == 3 && digits.allSatisfy(\.isNumber) && name.dropFirst(3).first == "-"
  }

  private func writeOutputs(of command: ScriptCommand, value: MimeBundle?) throws {
    let captured = recorder.finish()
    let verb = Self.verb(of: command.text)
    var outputs = captured.outputs.filter { !Self.isProgress($0) }.map(\.bundle)
    if let value { outputs.append(value) }
    for bundle in outputs {
      try writeBundle(bundle, verb: verb, command: command)
    }
    for (text, stream) in [(captured.stdout, "stdout"), (captured.stderr, "stderr")] where !text.isEmpty {
      outputNumber += 1
      let name = String(format: "%03d-%@.txt", outputNumber, stream == "stdout" ? verb : verb + "-stderr")
      try writeFile(name, Data(Self.normaliseVolatile(text).utf8))
      manifestEntries.append(.object([
        "files": .array([.string(name)]), "mime": .array(["text/plain"]), "stream": .string(stream),
        "line": .int(command.line), "command": .string(command.text),
      ]))
    }
  }

  private func writeBundle(_ bundle: MimeBundle, verb: String, command: ScriptCommand) throws {
    outputNumber += 1
    let stem = String(format: "%03d-%@", outputNumber, verb)
    var files: [JSONValue] = []
    var mimes: [JSONValue] = []
    let rich: [(mime: String, ext: String)] = [
      ("image/png", "png"), ("image/svg+xml", "svg"), ("text/html", "html"), ("application/json", "json"),
    ]
    var choices = rich.filter { bundle.data[$0.mime] != nil }
    if choices.isEmpty && bundle.data["text/plain"] != nil { choices = [("text/plain", "txt")] }
    for choice in choices {
      guard let value = bundle.data[choice.mime] else { continue }
      let bytes: Data
      switch choice.mime {
      case "image/png":
        guard case .string(let base64) = value,
          let decoded = Data(base64Encoded: base64, options: .ignoreUnknownCharacters)
        else { throw VistaError("a PNG output is not valid base64", at: "command \(verb)") }
        bytes = PNGNormaliser.removingVolatileChunks(decoded)
      case "application/json":
        bytes = Data(Self.stableJSON(Self.normaliseVolatile(value)).utf8)
      default:
        guard case .string(let text) = value else { continue }
        bytes = Data(Self.normaliseVolatile(text).utf8)
      }
      let name = "\(stem).\(choice.ext)"
      try writeFile(name, bytes)
      files.append(.string(name))
      mimes.append(.string(choice.mime))
    }
    var entry: [String: JSONValue] = [
      "files": .array(files), "mime": .array(mimes), "line": .int(command.line), "command": .string(command.text),
    ]
    if case .string(let plain)? = bundle.data["text/plain"] { entry["text"] = .string(Self.normaliseVolatile(plain)) }
    let metadata = Self.normaliseVolatile(JSONValue.object(bundle.metadata))
    if case .object(let fields) = metadata, !fields.isEmpty { entry["metadata"] = metadata }
    manifestEntries.append(.object(entry))
  }

  private func writeManifest(script: String, commands: Int, failure: String?) throws {
    var manifest: [String: JSONValue] = [
      "format": "vista-run-1", "script": .string(URL(fileURLWithPath: script).lastPathComponent),
      "commands": .int(commands), "outputs": .array(manifestEntries),
      "status": .string(failure == nil ? "ok" : "error"),
    ]
    if let failure { manifest["error"] = .string(failure) }
    try writeFile("manifest.json", Data((Self.stableJSON(.object(manifest)) + "\n").utf8))
  }

  private func writeFile(_ name: String, _ data: Data) throws {
    let url = outputDirectory.appendingPathComponent(name)
    do {
      try data.write(to: url, options: .atomic)
    } catch {
      throw VistaError("cannot write output: \(error.localizedDescription)", at: url.path)
    }
    written.append(name)
  }

  // MARK: - Normalisation

  /// Metadata keys whose values change from run to run.
  static let volatileKeys: Set<String> = [
    "elapsed", "elapsed_seconds", "seconds", "time", "timing", "duration", "timestamp", "date", "started", "finished",
  ]

  /// True for progress bars: metadata marks them (`progress` / `vista_progress`) or their display id names them (`vista-progress-…`).
  static func isProgress(_ output: HeadlessOutputRecorder.Output) -> Bool {
    if output.bundle.metadata["progress"] != nil || output.bundle.metadata["vista_progress"] != nil { return true }
    if case .object(let vista)? = output.bundle.metadata["vista"], vista["progress"] != nil { return true }
    return output.displayID?.lowercased().contains("progress") ?? false
  }

  /// Durations (`0.42 s`, `12 ms`, `1.5 seconds`, `2 min 05 s`) replaced by `<time>`; an option such as
  /// `min=4` is left alone.
  public static func normaliseVolatile(_ text: String) -> String {
    var result = text
    let patterns = [
      #"\b\d+ min \d+ s\b"#,
      #"\b\d+(?:\.\d+)?\s?(?:ms|µs|us|s|sec|secs|seconds|second|min|minutes)\b(?![=\w])"#,
    ]
    for pattern in patterns {
      result = result.replacingOccurrences(of: pattern, with: "<time>", options: .regularExpression)
    }
    return result
  }

  /// A JSON value without volatile keys, with durations in strings normalised.
  static func normaliseVolatile(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let text): return .string(normaliseVolatile(text))
    case .array(let items): return .array(items.map(normaliseVolatile))
    case .object(let fields):
      var kept: [String: JSONValue] = [:]
      for (key, field) in fields where !volatileKeys.contains(key.lowercased()) { kept[key] = normaliseVolatile(field) }
      return .object(kept)
    default: return value
    }
  }

  /// Pretty JSON with sorted keys, two-space indentation: the same value always gives the same bytes.
  static func stableJSON(_ value: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .array(let items):
      if items.isEmpty { return "[]" }
      return "[\n" + items.map { inner + stableJSON($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case .object(let fields):
      if fields.isEmpty { return "{}" }
      let body = fields.keys.sorted().map { key in
        inner + JSONValue.string(key).jsonString + ": " + stableJSON(fields[key] ?? .null, indent: inner)
      }
      return "{\n" + body.joined(separator: ",\n") + "\n\(indent)}"
    default:
      return value.jsonString
    }
  }

  /// The command's verb, made safe for a file name (`preview`, `sweep`, `save`).
  static func verb(of command: String) -> String {
    let word = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? "output"
    let safe = String(word.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    return safe.isEmpty ? "output" : safe
  }

  /// `SCRIPT:LINE[:COLUMN]` and the message, with a leading "line L, column C: " (relative to the command's
  /// text) turned into the script's line and column.
  static func locate(_ message: String, in command: ScriptCommand, script: String) -> (String, String) {
    let pattern = #"line (\d+), column (\d+): "#
    guard let range = message.range(of: pattern, options: .regularExpression) else {
      return ("\(script):\(command.line)", message)
    }
    let numbers = message[range].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    guard numbers.count == 2 else { return ("\(script):\(command.line)", message) }
    var rest = message
    rest.removeSubrange(range)
    return ("\(script):\(command.line + numbers[0] - 1):\(numbers[1])", rest)
  }

  /// A readable message for any error a command may throw.
  static func describe(_ error: Error) -> String {
    if let execution = error as? ExecutionError { return "\(execution.name): \(execution.value)" }
    if let vista = error as? VistaError { return vista.description }
    return "\(error)"
  }
}

/// Removes the chunks of a PNG that carry the time it was written (`tIME`), keeping every other byte.
enum PNGNormaliser {
  static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  static func removingVolatileChunks(_ png: Data) -> Data {
    let bytes = [UInt8](png)
    guard bytes.count > 8, Array(bytes[0..<8]) == signature else { return png }
    var out = Data(signature)
    var offset = 8
    while offset + 12 <= bytes.count {
      let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
        | Int(bytes[offset + 3])
      let end = offset + 12 + length
      guard length >= 0, end <= bytes.count else { return png }
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      if type != "tIME" { out.append(contentsOf: bytes[offset..<end]) }
      offset = end
    }
    return offset == bytes.count ? out : png
  }
}

/// One command of a script: its physical lines as written (continuations and comments included, so the
/// interpreter reports columns as the author sees them), where it starts, and its joined text.
struct ScriptCommand {
  /// The physical lines `line…` of the script that hold the command.
  var source: String
  /// 1-based script line of the command's first character.
  var line: Int
  /// The command with comments removed and continuations joined (for names and the manifest).
  var text: String

  static func split(_ script: String) throws -> [ScriptCommand] {
    let physical = script.split(separator: "\n", omittingEmptySubsequences: false)
    return try LogicalLine.split(script).map { logical in
      let first = logical.start.line
      let last = max(first, logical.positions.last?.line ?? first)
      let source = physical[(first - 1)..<min(last, physical.count)].joined(separator: "\n")
      return ScriptCommand(source: source, line: first, text: logical.text)
    }
  }
}
