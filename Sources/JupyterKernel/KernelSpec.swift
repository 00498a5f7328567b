import Foundation

/// A kernelspec (kernel.json plus resource files) and where Jupyter looks for it.
public struct KernelSpec: Sendable, Equatable {
  public var argv: [String]
  public var displayName: String
  public var language: String
  /// "signal" (SIGINT to the process group) or "message" (interrupt_request on control).
  public var interruptMode: String
  public var env: [String: String]
  public var metadata: JSONValue

  public init(argv: [String], displayName: String, language: String, interruptMode: String = "signal",
              env: [String: String] = [:], metadata: JSONValue = ["supported_encryption": ["curve"]]) {
    self.argv = argv; self.displayName = displayName; self.language = language
    self.interruptMode = interruptMode; self.env = env; self.metadata = metadata
  }

  /// kernel.json's content.
  public var json: JSONValue {
    var fields: [String: JSONValue] = [
      "argv": .array(argv.map { .string($0) }), "display_name": .string(displayName), "language": .string(language),
      "interrupt_mode": .string(interruptMode), "kernel_protocol_version": .string(jupyterProtocolVersion),
      "metadata": metadata,
    ]
    if !env.isEmpty { fields["env"] = .object(env.mapValues { .string($0) }) }
    return .object(fields)
  }

  /// Where `jupyter kernelspec install` would put kernels for each choice.
  public enum Location: Equatable, Sendable {
    /// `$JUPYTER_DATA_DIR/kernels`, else `$XDG_DATA_HOME/jupyter/kernels`, else `~/.local/share/jupyter/kernels`.
    case user
    /// `<active virtualenv or conda env>/share/jupyter/kernels`.
    case sysPrefix
    /// `<prefix>/share/jupyter/kernels`.
    case prefix(String)
    /// `/usr/local/share/jupyter/kernels`.
    case system
  }

  /// The `kernels` directory of a location.
  public static func kernelsDirectory(_ location: Location,
                                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    switch location {
    case .user:
      if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty { return dir + "/kernels" }
      if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/jupyter/kernels" }
      return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/jupyter/kernels"
    case .sysPrefix:
      guard let env = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"], !env.isEmpty else {
        throw KernelError("no active Python environment (VIRTUAL_ENV or CONDA_PREFIX); use --prefix or --user",
                          at: "option --sys-prefix")
      }
      return env + "/share/jupyter/kernels"
    case .prefix(let prefix):
      return prefix + "/share/jupyter/kernels"
    case .system:
      return "/usr/local/share/jupyter/kernels"
    }
  }

  /// Checks a kernel name the way Jupyter does: letters, digits, '.', '_' and '-'.
  public static func validate(name: String) throws {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) }) else {
      throw KernelError("kernel names may only use letters, digits, '.', '_' and '-' (got \"\(name)\")", at: "option --name")
    }
  }

  /// Writes `<kernels dir>/<name lowercased>/kernel.json` plus `files`, replacing an earlier install;
  /// returns the directory.
  @discardableResult
  public func install(name: String, location: Location, files: [String: [UInt8]] = [:],
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    try KernelSpec.validate(name: name)
    let directory = try KernelSpec.kernelsDirectory(location, environment: environment) + "/" + name.lowercased()
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw KernelError("cannot create the kernelspec directory: \(error.localizedDescription)", at: directory)
    }
    var text = KernelSpec.pretty(json)
    text.append("\n")
    guard fm.createFile(atPath: directory + "/kernel.json", contents: Data(text.utf8)) else {
      throw KernelError("cannot write kernel.json", at: directory)
    }
    for (file, bytes) in files {
      guard fm.createFile(atPath: directory + "/" + file, contents: Data(bytes)) else {
        throw KernelError("cannot write \(file)", at: directory)
      }
    }
    return directory
  }

  /// Indented JSON with sorted keys, for files people read.
  static func pretty(_ value: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .array(let items) where !items.isEmpty:
      return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case .object(let fields) where !fields.isEmpty:
      return "{\n" + fields.keys.sorted().map { key in
        inner + JSONValue.string(key).jsonString + ": " + pretty(fields[key]!, indent: inner)
      }.joined(separator: ",\n") + "\n\(indent)}"
    default:
      return value.jsonString
    }
  }
}
