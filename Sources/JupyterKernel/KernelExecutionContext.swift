import Foundation

/// The ExecutionContext of one execute_request: outputs go to IOPub with the request as parent,
/// input goes through stdin with the request's identities, and interrupts land here.
final class KernelExecutionContext: ExecutionContext, @unchecked Sendable {
  private let publisher: IOPubPublisher
  private let stdin: StdinChannel
  let parent: [UInt8]
  let identities: [[UInt8]]
  let allowStdin: Bool
  let silent: Bool
  let executionCount: Int
  let comms: CommManager
  private let lock = NSLock()
  private var interrupted = false
  private var handlers: [@Sendable () -> Void] = []

  init(publisher: IOPubPublisher, stdin: StdinChannel, parent: [UInt8], identities: [[UInt8]], allowStdin: Bool,
       silent: Bool, executionCount: Int, comms: CommManager) {
    self.publisher = publisher; self.stdin = stdin; self.parent = parent; self.identities = identities
    self.allowStdin = allowStdin; self.silent = silent; self.executionCount = executionCount; self.comms = comms
  }

  func stream(_ text: String, toStderr: Bool) {
    guard !silent, !text.isEmpty else { return }
    publisher.stream(text, name: toStderr ? "stderr" : "stdout", parent: parent)
  }

  func display(_ bundle: MimeBundle, displayID: String?) {
    guard !silent else { return }
    publisher.publish("display_data", content: KernelExecutionContext.displayContent(bundle, displayID: displayID), parent: parent)
  }

  func update(_ bundle: MimeBundle, displayID: String) {
    guard !silent else { return }
    publisher.publish("update_display_data", content: KernelExecutionContext.displayContent(bundle, displayID: displayID), parent: parent)
  }

  static func displayContent(_ bundle: MimeBundle, displayID: String?) -> JSONValue {
    var transient: [String: JSONValue] = [:]
    if let displayID { transient["display_id"] = .string(displayID) }
    return ["data": .object(bundle.data), "metadata": .object(bundle.metadata), "transient": .object(transient)]
  }

  func clearOutput(wait: Bool) {
    guard !silent else { return }
    publisher.publish("clear_output", content: ["wait": .bool(wait)], parent: parent)
  }

  func input(prompt: String, password: Bool) throws -> String {
    guard allowStdin else {
      throw ExecutionError(name: "StdinNotImplementedError", value: "this frontend does not support input requests")
    }
    publisher.flushStreams()  // the text before the prompt shows first
    return try stdin.requestInput(prompt: prompt, password: password, parent: parent, identities: identities,
                                  isInterrupted: { [weak self] in self?.isInterrupted ?? true })
  }

  var isInterrupted: Bool {
    lock.lock(); defer { lock.unlock() }
    return interrupted
  }

  func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
    lock.lock()
    if interrupted {
      lock.unlock()
      handler()
      return
    }
    handlers.append(handler)
    lock.unlock()
  }

  /// Marks the execution interrupted and runs the handlers once (called on the control thread).
  func interrupt() {
    lock.lock()
    guard !interrupted else { lock.unlock(); return }
    interrupted = true
    let toRun = handlers
    handlers.removeAll()
    lock.unlock()
    for handler in toRun { handler() }
  }
}

/// The stdin ROUTER: input_request out with the execute request's identities, input_reply back.
final class StdinChannel: @unchecked Sendable {
  private let socket: ZMQSocket
  private let codec: WireCodec
  private let lock = NSLock()

  init(socket: ZMQSocket, codec: WireCodec) {
    self.socket = socket
    self.codec = codec
  }

  func requestInput(prompt: String, password: Bool, parent: [UInt8], identities: [[UInt8]],
                    isInterrupted: () -> Bool) throws -> String {
    lock.lock(); defer { lock.unlock() }
    // Drop stale replies of earlier requests.
    while socket.receive(dontWait: true) != nil {}
    socket.send(codec.encode(msgType: "input_request", content: ["prompt": .string(prompt), "password": .bool(password)],
                             parentHeader: parent, identities: identities))
    while true {
      if isInterrupted() { throw ExecutionError(name: "KeyboardInterrupt", value: "interrupted while waiting for input") }
      guard let readable = zmqPoll(sockets: [socket], timeoutMilliseconds: 50) else {
        throw ExecutionError(name: "KernelShutdown", value: "the kernel is shutting down")
      }
      guard readable[0], let frames = socket.receive(dontWait: true) else { continue }
      switch codec.decode(frames) {
      case .failure(let why):
        logLine("stdin: dropped a message: \(why)")
      case .success(let message):
        guard message.msgType == "input_reply" else { continue }
        return message.content["value"]?.stringValue ?? ""
      }
    }
  }

  func close() {
    lock.lock()
    socket.close(lingerMilliseconds: 0)
    lock.unlock()
  }
}
