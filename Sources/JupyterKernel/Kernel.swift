import CZMQ
import Foundation

/// How a kernel process behaves around it (signals, parent process, history file, exit).
public struct KernelOptions: Sendable {
  /// Catch SIGINT and treat it as an interrupt (jupyter_client's "signal" interrupt mode).
  public var handleSIGINT: Bool
  /// Exit when the process in `JPY_PARENT_PID` is gone.
  public var watchParentProcess: Bool
  /// The history file (nil: memory only).
  public var historyPath: String?
  /// Call `exit(0)` right after the shutdown reply went out (a kernel process); false for in-process use.
  public var exitProcessOnShutdown: Bool

  public init(handleSIGINT: Bool = true, watchParentProcess: Bool = true, historyPath: String? = HistoryStore.defaultPath(),
              exitProcessOnShutdown: Bool = true) {
    self.handleSIGINT = handleSIGINT; self.watchParentProcess = watchParentProcess
    self.historyPath = historyPath; self.exitProcessOnShutdown = exitProcessOnShutdown
  }

  /// For kernels running inside another program (tests): no signals, no parent watch, memory history.
  public static var inProcess: KernelOptions {
    KernelOptions(handleSIGINT: false, watchParentProcess: false, historyPath: nil, exitProcessOnShutdown: false)
  }
}

/// The ports a started kernel listens on (useful when the connection asked for port 0).
public struct BoundPorts: Sendable, Equatable {
  public var shell = 0, iopub = 0, stdin = 0, control = 0, hb = 0
}

/// A Jupyter kernel: the five sockets, their threads and the message handlers, around an `Interpreter`.
///
/// Threads: shell (receives requests and runs the interpreter), control (kernel_info, interrupt and
/// shutdown, answered even while shell is busy; also turns SIGINT into interrupts), heartbeat (echo),
/// IOPub publisher (one ordered queue). Each socket belongs to one thread.
public final class Kernel: @unchecked Sendable {
  public let connection: ConnectionInfo
  public let options: KernelOptions
  public let environment: KernelEnvironment
  public let comms = CommManager()
  public let history: HistoryStore
  public private(set) var ports = BoundPorts()

  let interpreter: Interpreter
  let session: String
  let username: String
  private var context: UnsafeMutableRawPointer?
  private var shellSocket: ZMQSocket!
  private var controlSocket: ZMQSocket!
  private var heartbeatSocket: ZMQSocket!
  private(set) var publisher: IOPubPublisher!
  private(set) var stdin: StdinChannel!
  private var shellCodec: WireCodec!
  private var controlCodec: WireCodec!
  private var kernelInfoContent: [UInt8] = []

  /// Shell-thread state.
  var executionCount = 0
  /// The request currently executing (for interrupts), guarded by `executionLock`.
  private let executionLock = NSLock()
  private var currentExecution: KernelExecutionContext?
  /// The header of the shell request being handled, parent of comm messages the kernel sends.
  private var currentParent: [UInt8]?

  private let shutdownRequested = Latch()
  private var shutdownRestart = false
  private let shellStopped = Latch()
  private let controlStopped = Latch()
  private let heartbeatStopped = Latch()

  public init(connection: ConnectionInfo, interpreter: Interpreter, connectionFile: String? = nil,
              options: KernelOptions = KernelOptions()) {
    self.connection = connection
    self.interpreter = interpreter
    self.options = options
    var ids = MessageIDGenerator()
    session = ids.next()
    username = ProcessInfo.processInfo.environment["USER"] ?? "vista"
    environment = KernelEnvironment(connectionFile: connectionFile, session: session)
    history = HistoryStore(path: options.historyPath)
  }

  // MARK: Lifecycle

  /// Binds every socket and starts the threads; the kernel answers requests once this returns.
  public func start() throws {
    guard let ctx = zmq_ctx_new() else { throw KernelError("cannot create a ZeroMQ context", at: "libzmq") }
    context = ctx
    let key = Array(connection.key.utf8)
    func codec() throws -> WireCodec {
      WireCodec(signer: try MessageSigner(key: key, scheme: connection.signatureScheme), session: session, username: username)
    }
    func socket(_ type: Int32, _ name: String, port: Int) throws -> (ZMQSocket, Int) {
      let s = try ZMQSocket(context: ctx, type: type, name: name)
      s.setOption(ZMQ_LINGER, 1000)
      if type == ZMQ_ROUTER { s.setOption(ZMQ_ROUTER_HANDOVER, 1) }
      if connection.usesCurve, let secret = connection.curveSecretKey {
        s.setOption(ZMQ_CURVE_SERVER, 1)
        s.setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(secret.utf8))
        if let pub = connection.curvePublicKey { s.setOption(ZMQ_CURVE_PUBLICKEY, bytes: Array(pub.utf8)) }
      }
      let endpoint = try s.bind(connection.endpoint(port: port))
      let bound = connection.transport == "tcp" ? Int(endpoint.split(separator: ":").last ?? "") ?? port : port
      return (s, bound)
    }
    let (iopub, iopubPort) = try socket(ZMQ_XPUB, "iopub", port: connection.iopubPort)
    iopub.setOption(ZMQ_XPUB_VERBOSE, 1)
    iopub.setOption(ZMQ_SNDHWM, 0)
    let (shell, shellPort) = try socket(ZMQ_ROUTER, "shell", port: connection.shellPort)
    let (control, controlPort) = try socket(ZMQ_ROUTER, "control", port: connection.controlPort)
    let (stdinSocket, stdinPort) = try socket(ZMQ_ROUTER, "stdin", port: connection.stdinPort)
    let (hb, hbPort) = try socket(ZMQ_REP, "heartbeat", port: connection.hbPort)
    ports = BoundPorts(shell: shellPort, iopub: iopubPort, stdin: stdinPort, control: controlPort, hb: hbPort)
    shellSocket = shell
    controlSocket = control
    heartbeatSocket = hb
    shellCodec = try codec()
    controlCodec = try codec()
    publisher = IOPubPublisher(xpub: iopub, codec: try codec())
    stdin = StdinChannel(socket: stdinSocket, codec: try codec())
    kernelInfoContent = Kernel.kernelInfo(interpreter.info).encoded()
    wireComms()
    interpreter.kernelDidStart(comms: comms, environment: environment)

    publisher.publish("status", contentBytes: IOPubPublisher.startingContent, parent: nil)
    publisher.start()
    let signalFD = options.handleSIGINT ? InterruptSignal.install() : -1
    startThread(name: "heartbeat") { [self] in heartbeatLoop() }
    startThread(name: "control") { [self] in controlLoop(signalFD: signalFD) }
    startThread(name: "shell") { [self] in shellLoop() }
  }

  /// Blocks until a shutdown_request (or the parent's death, or `requestShutdown`), then stops the
  /// threads; returns whether a restart was asked. With `exitProcessOnShutdown` it exits instead.
  @discardableResult
  public func waitUntilShutdown() -> Bool {
    let parentPID = options.watchParentProcess
      ? ProcessInfo.processInfo.environment["JPY_PARENT_PID"].flatMap { Int32($0) } : nil
    while !shutdownRequested.wait(timeout: 1.0) {
      if let parentPID, parentPID > 1, kill(parentPID, 0) != 0, errno == ESRCH {
        logLine("parent process \(parentPID) is gone; exiting")
        requestShutdown(restart: false)
      }
    }
    return finishShutdown()
  }

  /// Starts, serves until shut down, and exits the process (the `vista kernel` entry point).
  public func run() throws -> Never {
    try start()
    waitUntilShutdown()
    exit(0)
  }

  /// Asks the kernel to stop as if a shutdown_request had arrived.
  public func requestShutdown(restart: Bool) {
    shutdownRestart = restart
    shutdownRequested.open()
  }

  private func finishShutdown() -> Bool {
    interruptCurrentExecution()
    publisher.stop()
    if let context { zmq_ctx_shutdown(context) }
    let shellDone = shellStopped.wait(timeout: 0.05)
    controlStopped.wait(timeout: 0.02)
    heartbeatStopped.wait(timeout: 0.02)
    if shellDone {
      // The sockets are closed; wait (bounded by linger) for the last replies to leave.
      publisher.closeSockets()
      stdin.close()
      if let context { zmq_ctx_term(context) }
    }
    if options.exitProcessOnShutdown {
      fflush(stdout)
      exit(0)
    }
    return shutdownRestart
  }

  // MARK: Threads

  private func heartbeatLoop() {
    while let frames = heartbeatSocket.receive() {
      heartbeatSocket.send(frames)
    }
    heartbeatSocket.close(lingerMilliseconds: 0)
    heartbeatStopped.open()
  }

  private func controlLoop(signalFD: Int32) {
    let fds = signalFD >= 0 ? [signalFD] : []
    while !shutdownRequested.opened {
      guard let readable = zmqPoll(sockets: [controlSocket], fds: fds, timeoutMilliseconds: -1) else { break }
      if readable.count > 1 && readable[1] && InterruptSignal.drain() > 0 {
        interruptCurrentExecution()
      }
      if readable[0], let frames = controlSocket.receive(dontWait: true) {
        handleControl(frames)
      }
    }
    controlSocket.close(lingerMilliseconds: 1000)
    controlStopped.open()
  }

  private func shellLoop() {
    while let frames = shellSocket.receive() {
      handleShell(frames)
      if shutdownRequested.opened { break }
    }
    interpreter.shutdown(restart: shutdownRestart)
    shellSocket.close(lingerMilliseconds: 1000)
    shellStopped.open()
  }

  // MARK: Interrupts

  /// Interrupts the running execution, if any (SIGINT or interrupt_request). Harmless when idle.
  public func interruptCurrentExecution() {
    executionLock.lock()
    let running = currentExecution
    executionLock.unlock()
    running?.interrupt()
  }

  func setCurrentExecution(_ execution: KernelExecutionContext?) {
    executionLock.lock()
    currentExecution = execution
    executionLock.unlock()
  }

  // MARK: Control

  private func handleControl(_ frames: [[UInt8]]) {
    let message: ReceivedMessage
    switch controlCodec.decode(frames) {
    case .failure(let why):
      logLine("control: dropped a message: \(why)")
      return
    case .success(let m): message = m
    }
    let parent = message.headerBytes
    publisher.status(busy: true, parent: parent)
    var shutdownAfterIdle: Bool?
    defer {
      publisher.status(busy: false, parent: parent)
      // Only after idle went out: shutting down stops IOPub.
      if let restart = shutdownAfterIdle { requestShutdown(restart: restart) }
    }
    func reply(_ type: String, _ content: [UInt8]) {
      controlSocket.send(controlCodec.encode(msgType: type, contentBytes: content, parentHeader: parent,
                                             identities: message.identities))
    }
    switch message.msgType {
    case "kernel_info_request":
      reply("kernel_info_reply", kernelInfoContent)
    case "interrupt_request":
      interruptCurrentExecution()
      reply("interrupt_reply", JSONValue.object(["status": "ok"]).encoded())
    case "shutdown_request":
      let restart = message.content["restart"]?.boolValue ?? false
      reply("shutdown_reply", JSONValue.object(["status": "ok", "restart": .bool(restart)]).encoded())
      shutdownAfterIdle = restart
    default:
      logLine("control: ignored unknown message type \"\(message.msgType)\"")
    }
  }

  /// kernel_info_reply content from the interpreter's description.
  static func kernelInfo(_ info: InterpreterInfo) -> JSONValue {
    let language: JSONValue = [
      "name": .string(info.language.name),
      "version": .string(info.language.version),
      "mimetype": .string(info.language.mimetype),
      "file_extension": .string(info.language.fileExtension),
      "pygments_lexer": .string(info.language.pygmentsLexer ?? "text"),
      "codemirror_mode": .string(info.language.codemirrorMode ?? "text/plain"),
      "nbconvert_exporter": "script",
    ]
    return [
      "status": "ok",
      "protocol_version": .string(jupyterProtocolVersion),
      "implementation": .string(info.implementation),
      "implementation_version": .string(info.implementationVersion),
      "language_info": language,
      "banner": .string(info.banner),
      "help_links": .array(info.helpLinks.map { ["text": .string($0.text), "url": .string($0.url)] }),
      "supported_features": [],
      "debugger": false,
    ]
  }

  // MARK: Comms

  private func wireComms() {
    comms.sender = { [weak self] id, data in
      guard let self else { return }
      self.publisher.publish("comm_msg", content: ["comm_id": .string(id), "data": data], parent: self.commParent())
    }
    comms.closer = { [weak self] id, data in
      guard let self else { return }
      self.publisher.publish("comm_close", content: ["comm_id": .string(id), "data": data], parent: self.commParent())
    }
    comms.opener = { [weak self] id, target, data in
      guard let self else { return }
      self.publisher.publish("comm_open", content: ["comm_id": .string(id), "target_name": .string(target), "data": data],
                             parent: self.commParent())
    }
  }

  private func commParent() -> [UInt8]? {
    executionLock.lock(); defer { executionLock.unlock() }
    return currentParent
  }

  func setCurrentParent(_ parent: [UInt8]?) {
    executionLock.lock(); currentParent = parent; executionLock.unlock()
  }

  // MARK: Shell

  func sendShellReply(_ type: String, _ content: JSONValue, to message: ReceivedMessage) {
    shellSocket.send(shellCodec.encode(msgType: type, content: content, parentHeader: message.headerBytes,
                                       identities: message.identities))
  }

  /// The shell thread's codec (signer and id generator).
  var shellWire: WireCodec { shellCodec }

  /// Takes the next queued shell message without waiting (for stop_on_error).
  func takeQueuedShellMessage() -> [[UInt8]]? { shellSocket.receive(dontWait: true) }
}
