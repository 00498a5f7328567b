import Foundation

/// The connection file a Jupyter client writes for the kernel: where to bind and how to sign.
public struct ConnectionInfo: Sendable, Equatable {
  public var transport: String
  public var ip: String
  public var shellPort: Int
  public var iopubPort: Int
  public var stdinPort: Int
  public var controlPort: Int
  public var hbPort: Int
  public var signatureScheme: String
  public var key: String
  public var kernelName: String?
  /// Z85 CurveZMQ keys (40 characters each); both present turns encryption on.
  public var curvePublicKey: String?
  public var curveSecretKey: String?

  public init(transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int = 0, iopubPort: Int = 0,
              stdinPort: Int = 0, controlPort: Int = 0, hbPort: Int = 0, signatureScheme: String = "hmac-sha256",
              key: String = "", kernelName: String? = nil, curvePublicKey: String? = nil, curveSecretKey: String? = nil) {
    self.transport = transport; self.ip = ip; self.shellPort = shellPort; self.iopubPort = iopubPort
    self.stdinPort = stdinPort; self.controlPort = controlPort; self.hbPort = hbPort
    self.signatureScheme = signatureScheme; self.key = key; self.kernelName = kernelName
    self.curvePublicKey = curvePublicKey; self.curveSecretKey = curveSecretKey
  }

  /// Reads and validates a connection file.
  public static func load(path: String) throws -> ConnectionInfo {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw KernelError("cannot read the connection file", at: path)
    }
    return try parse(Array(data), source: path)
  }

  /// Parses connection-file JSON; `source` names the file in error messages.
  public static func parse(_ bytes: [UInt8], source: String = "connection file") throws -> ConnectionInfo {
    let json: JSONValue
    do { json = try JSONValue.parse(bytes) } catch let e as JSONParseError {
      throw KernelError("\(e)", at: source)
    }
    guard case .object = json else { throw KernelError("expected a JSON object", at: source) }
    func port(_ field: String) throws -> Int {
      guard let value = json[field] else { throw KernelError("missing \"\(field)\"", at: source) }
      guard let p = value.intValue, (0...65535).contains(p) else {
        throw KernelError("\"\(field)\" must be a port number, got \(value.jsonString)", at: source)
      }
      return p
    }
    var info = ConnectionInfo()
    info.transport = json["transport"]?.stringValue ?? "tcp"
    guard info.transport == "tcp" || info.transport == "ipc" else {
      throw KernelError("unsupported transport \"\(info.transport)\" (tcp or ipc)", at: source)
    }
    info.ip = json["ip"]?.stringValue ?? "127.0.0.1"
    info.shellPort = try port("shell_port")
    info.iopubPort = try port("iopub_port")
    info.stdinPort = try port("stdin_port")
    info.controlPort = try port("control_port")
    info.hbPort = try port("hb_port")
    info.signatureScheme = json["signature_scheme"]?.stringValue ?? "hmac-sha256"
    info.key = json["key"]?.stringValue ?? ""
    info.kernelName = json["kernel_name"]?.stringValue
    info.curvePublicKey = json["curve_publickey"]?.stringValue
    info.curveSecretKey = json["curve_secretkey"]?.stringValue
    if let secret = info.curveSecretKey, secret.utf8.count != 40 {
      throw KernelError("\"curve_secretkey\" must be 40 Z85 characters", at: source)
    }
    return info
  }

  /// The endpoint for a port: "tcp://ip:port" ("*" port when 0) or "ipc://ip-port".
  public func endpoint(port: Int) -> String {
    if transport == "ipc" { return "ipc://\(ip)-\(port)" }
    return "tcp://\(ip):\(port == 0 ? "*" : String(port))"
  }

  /// Whether the sockets must use CurveZMQ.
  public var usesCurve: Bool { curveSecretKey != nil }

  /// The connection-file JSON for these settings (used by tests and by in-process kernels).
  public var json: JSONValue {
    var fields: [String: JSONValue] = [
      "transport": .string(transport), "ip": .string(ip), "shell_port": .int(shellPort),
      "iopub_port": .int(iopubPort), "stdin_port": .int(stdinPort), "control_port": .int(controlPort),
      "hb_port": .int(hbPort), "signature_scheme": .string(signatureScheme), "key": .string(key),
    ]
    if let kernelName { fields["kernel_name"] = .string(kernelName) }
    if let curvePublicKey { fields["curve_publickey"] = .string(curvePublicKey) }
    if let curveSecretKey { fields["curve_secretkey"] = .string(curveSecretKey) }
    return .object(fields)
  }
}

/// Facts about the running kernel that interpreters may want (e.g. to name per-kernel files).
public struct KernelEnvironment: Sendable, Equatable {
  /// The connection file the kernel was started with (nil for in-process kernels).
  public var connectionFile: String?
  /// The kernel id: the `<id>` of a "kernel-<id>.json" connection file name, else the file's base name,
  /// else the session id.
  public var kernelID: String
  /// The session id (a UUID) stamped on every message this process sends.
  public var session: String

  public init(connectionFile: String?, session: String) {
    self.connectionFile = connectionFile
    self.session = session
    self.kernelID = KernelEnvironment.kernelID(fromConnectionFile: connectionFile) ?? session
  }

  /// "…/kernel-1234-abcd.json" -> "1234-abcd"; "…/other.json" -> "other".
  public static func kernelID(fromConnectionFile path: String?) -> String? {
    guard let path else { return nil }
    var name = (path as NSString).lastPathComponent
    if name.hasSuffix(".json") { name.removeLast(5) }
    if name.hasPrefix("kernel-") { name.removeFirst(7) }
    return name.isEmpty ? nil : name
  }
}
