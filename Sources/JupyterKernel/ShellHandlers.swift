import Foundation

/// The shell channel's request handlers. All run on the shell thread, one request at a time.
extension Kernel {
  func handleShell(_ frames: [[UInt8]]) {
    let message: ReceivedMessage
    switch shellWire.decode(frames) {
    case .failure(let why):
      logLine("shell: dropped a message: \(why)")
      return
    case .success(let m): message = m
    }
    let parent = message.headerBytes
    setCurrentParent(parent)
    if message.msgType == "execute_request" {
      if let queued = handleExecute(message) { abortExecutes(in: queued) }
      return
    }
    publisher.status(busy: true, parent: parent)
    var shutdownAfterIdle: Bool?
    defer {
      publisher.status(busy: false, parent: parent)
      if let restart = shutdownAfterIdle { requestShutdown(restart: restart) }
    }
    switch message.msgType {
    case "kernel_info_request":
      sendShellReply("kernel_info_reply", Kernel.kernelInfo(interpreter.info), to: message)
    case "complete_request": handleComplete(message)
    case "inspect_request": handleInspect(message)
    case "is_complete_request": handleIsComplete(message)
    case "history_request": handleHistory(message)
    case "comm_info_request": handleCommInfo(message)
    case "comm_open": handleCommOpen(message)
    case "comm_msg":
      if let id = message.content["comm_id"]?.stringValue {
        comms.frontendSent(id: id, data: message.content["data"] ?? [:])
      }
    case "comm_close":
      if let id = message.content["comm_id"]?.stringValue {
        comms.frontendClosed(id: id, data: message.content["data"] ?? [:])
      }
    case "shutdown_request":  // deprecated on shell, still honoured
      let restart = message.content["restart"]?.boolValue ?? false
      sendShellReply("shutdown_reply", ["status": "ok", "restart": .bool(restart)], to: message)
      shutdownAfterIdle = restart
    default:
      logLine("shell: ignored unknown message type \"\(message.msgType)\"")
    }
  }

  // MARK: execute

  /// Runs one execute_request. When it fails with stop_on_error, returns the shell messages that
  /// were queued behind it, taken off the socket *before* its reply goes out: a request the client
  /// sends after seeing the error is not among them, however late this thread gets to run.
  private func handleExecute(_ message: ReceivedMessage) -> [[[UInt8]]]? {
    let content = message.content
    let parent = message.headerBytes
    let code = content["code"]?.stringValue ?? ""
    let silent = content["silent"]?.boolValue ?? false
    let storeHistory = silent ? false : (content["store_history"]?.boolValue ?? true)
    let allowStdin = content["allow_stdin"]?.boolValue ?? false
    let stopOnError = content["stop_on_error"]?.boolValue ?? true

    publisher.status(busy: true, parent: parent)
    if storeHistory { executionCount += 1 }
    let count = executionCount
    if !silent {
      var input: [UInt8] = Array("{\"code\":".utf8)
      JSONWriter.appendString(code, to: &input)
      input.append(contentsOf: Array(",\"execution_count\":".utf8))
      JSONWriter.appendInt(count, to: &input)
      input.append(UInt8(ascii: "}"))
      publisher.publish("execute_input", contentBytes: input, parent: parent)
    }

    let execution = KernelExecutionContext(
      publisher: publisher, stdin: stdin, parent: parent, identities: message.identities, allowStdin: allowStdin,
      silent: silent, executionCount: count, comms: comms)
    setCurrentExecution(execution)
    var reply: JSONValue
    var resultText: String?
    var failed = false
    do {
      let result = try interpreter.execute(code: code, silent: silent, context: execution)
      if execution.isInterrupted {
        throw ExecutionError(name: "KeyboardInterrupt", value: "interrupted")
      }
      if let value = result.value, !silent {
        publisher.publish("execute_result", content: [
          "execution_count": .int(count), "data": .object(value.data), "metadata": .object(value.metadata),
        ], parent: parent)
        resultText = value.data["text/plain"]?.stringValue
      }
      var expressions: [String: JSONValue] = [:]
      for (name, expression) in content["user_expressions"]?.objectValue ?? [:] {
        expressions[name] = evaluateUserExpression(expression.stringValue ?? "")
      }
      reply = ["status": "ok", "execution_count": .int(count), "payload": .array(result.payload),
               "user_expressions": .object(expressions)]
    } catch {
      let failure = Kernel.executionError(error)
      if !silent {
        publisher.publish("error", content: failure.replyContent(), parent: parent)
      }
      reply = failure.replyContent(["status": "error", "execution_count": .int(count)])
      failed = stopOnError && !silent
    }
    setCurrentExecution(nil)
    var queued: [[[UInt8]]]? = nil
    if failed {
      queued = []
      while let frames = takeQueuedShellMessage() { queued!.append(frames) }
    }
    publisher.flushStreams()  // every output goes out before the reply
    sendShellReply("execute_reply", reply, to: message)
    publisher.status(busy: false, parent: parent)
    // History I/O stays off the reply path; this thread handles the next request (a history_request too) after it.
    if storeHistory { history.append(line: count, input: code, output: resultText) }
    return queued
  }

  static func executionError(_ error: Error) -> ExecutionError {
    if let e = error as? ExecutionError { return e }
    let name = String(describing: type(of: error))
    return ExecutionError(name: name, value: String(describing: error))
  }

  private func evaluateUserExpression(_ expression: String) -> JSONValue {
    do {
      let bundle = try interpreter.evaluate(expression: expression)
      return ["status": "ok", "data": .object(bundle.data), "metadata": .object(bundle.metadata)]
    } catch {
      return Kernel.executionError(error).replyContent(["status": "error"])
    }
  }

  /// After an error with stop_on_error, every execute that was queued behind it is answered with an
  /// error (status "error", ename "ExecutionAborted"); other queued requests are handled normally.
  private func abortExecutes(in queued: [[[UInt8]]]) {
    var deferred: [[[UInt8]]] = []
    for frames in queued {
      guard case .success(let message) = shellWire.decode(frames), message.msgType == "execute_request" else {
        deferred.append(frames)
        continue
      }
      let parent = message.headerBytes
      publisher.status(busy: true, parent: parent)
      let aborted = ExecutionError(name: "ExecutionAborted", value: "not run because an earlier cell failed")
      sendShellReply("execute_reply", aborted.replyContent(["status": "error", "execution_count": .int(executionCount)]),
                     to: message)
      publisher.status(busy: false, parent: parent)
    }
    for frames in deferred { handleShell(frames) }
  }

  // MARK: introspection

  /// The request's cursor position in code points (default: end of the code), clamped to the code.
  private func cursor(_ message: ReceivedMessage, code: String) -> Int {
    let length = code.unicodeScalars.count
    guard let pos = message.content["cursor_pos"]?.intValue else { return length }
    return min(max(0, pos), length)
  }

  private func handleComplete(_ message: ReceivedMessage) {
    let code = message.content["code"]?.stringValue ?? ""
    let result = interpreter.complete(code: code, cursorPos: cursor(message, code: code))
    sendShellReply("complete_reply", [
      "status": "ok", "matches": .array(result.matches.map { .string($0) }),
      "cursor_start": .int(result.cursorStart), "cursor_end": .int(result.cursorEnd), "metadata": .object(result.metadata),
    ], to: message)
  }

  private func handleInspect(_ message: ReceivedMessage) {
    let code = message.content["code"]?.stringValue ?? ""
    let detail = message.content["detail_level"]?.intValue ?? 0
    let found = interpreter.inspect(code: code, cursorPos: cursor(message, code: code), detailLevel: detail)
    sendShellReply("inspect_reply", [
      "status": "ok", "found": .bool(found != nil), "data": .object(found?.data ?? [:]),
      "metadata": .object(found?.metadata ?? [:]),
    ], to: message)
  }

  private func handleIsComplete(_ message: ReceivedMessage) {
    let code = message.content["code"]?.stringValue ?? ""
    let reply: JSONValue
    switch interpreter.isComplete(code: code) {
    case .complete: reply = ["status": "complete"]
    case .incomplete(let indent): reply = ["status": "incomplete", "indent": .string(indent)]
    case .invalid: reply = ["status": "invalid"]
    case .unknown: reply = ["status": "unknown"]
    }
    sendShellReply("is_complete_reply", reply, to: message)
  }

  private func handleHistory(_ message: ReceivedMessage) {
    let c = message.content
    let output = c["output"]?.boolValue ?? false
    let entries: [HistoryEntry]
    switch c["hist_access_type"]?.stringValue ?? "tail" {
    case "range":
      entries = history.range(session: c["session"]?.intValue ?? 0, start: c["start"]?.intValue ?? 1,
                              stop: c["stop"]?.intValue)
    case "search":
      entries = history.search(pattern: c["pattern"]?.stringValue ?? "*", n: c["n"]?.intValue,
                               unique: c["unique"]?.boolValue ?? false)
    default:
      entries = history.tail(c["n"]?.intValue ?? 10)
    }
    let items: [JSONValue] = entries.map { e in
      let input: JSONValue = output ? [.string(e.input), e.output.map { .string($0) } ?? .null] : .string(e.input)
      return [.int(e.session), .int(e.line), input]
    }
    sendShellReply("history_reply", ["status": "ok", "history": .array(items)], to: message)
  }

  private func handleCommInfo(_ message: ReceivedMessage) {
    let target = message.content["target_name"]?.stringValue
    var listing: [String: JSONValue] = [:]
    for (id, name) in comms.openComms(target: target) { listing[id] = ["target_name": .string(name)] }
    sendShellReply("comm_info_reply", ["status": "ok", "comms": .object(listing)], to: message)
  }

  private func handleCommOpen(_ message: ReceivedMessage) {
    let c = message.content
    guard let id = c["comm_id"]?.stringValue else { return }
    let target = c["target_name"]?.stringValue ?? ""
    if !comms.frontendOpened(id: id, target: target, data: c["data"] ?? [:]) {
      // Unknown target: the protocol says close it right away.
      publisher.publish("comm_close", content: ["comm_id": .string(id), "data": [:]], parent: message.headerBytes)
    }
  }
}

extension ExecutionError {
  /// The ename/evalue/traceback fields of an `error` message, an error execute_reply or an error user
  /// expression, plus `fields` (status, execution_count ...).
  func replyContent(_ fields: [String: JSONValue] = [:]) -> JSONValue {
    var content: [String: JSONValue] = ["ename": .string(name), "evalue": .string(value),
                                        "traceback": .array(traceback.map { .string($0) })]
    content.merge(fields) { _, given in given }
    return .object(content)
  }
}
