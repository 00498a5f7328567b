import CZMQ
import Foundation

/// The single, ordered path to IOPub.
///
/// Any thread calls `publish`; the pieces go through one locked inproc PUSH socket to the publisher
/// thread, which owns the XPUB socket, stamps the header, signs and sends. One queue keeps every
/// output of a request ahead of its `idle`. The same thread answers each subscription with
/// `iopub_welcome` (JEP 65), so late subscribers know when they are connected.
final class IOPubPublisher: @unchecked Sendable {
  private let xpub: ZMQSocket
  private let queueIn: ZMQSocket
  private let queueOut: ZMQSocket
  private let lock = NSLock()
  private let codec: WireCodec
  private let session: String
  private let stopped = Latch()
  private static let stopFrame: [UInt8] = Array("stop".utf8)

  /// Creates the sockets; `xpub` is already configured and bound.
  init(context: UnsafeMutableRawPointer, xpub: ZMQSocket, codec: WireCodec) throws {
    self.xpub = xpub
    self.codec = codec
    self.session = codec.session
    let endpoint = "inproc://vista-iopub-\(UInt64.random(in: 0...UInt64.max))"
    queueOut = try ZMQSocket(context: context, type: ZMQ_PULL, name: "iopub queue")
    queueOut.setOption(ZMQ_RCVHWM, 0)
    try queueOut.bind(endpoint)
    queueIn = try ZMQSocket(context: context, type: ZMQ_PUSH, name: "iopub queue")
    queueIn.setOption(ZMQ_SNDHWM, 0)
    guard zmq_connect(queueIn.handle, endpoint) == 0 else {
      throw KernelError("cannot connect the IOPub queue: \(ZMQSocket.lastError())", at: "iopub")
    }
  }

  func start() {
    startThread(name: "iopub") { [self] in run() }
  }

  /// Queues one IOPub message. `parent` is the raw header of the request it belongs to.
  func publish(_ msgType: String, content: JSONValue, parent: [UInt8]?, metadata: JSONValue? = nil,
               buffers: [[UInt8]] = []) {
    publish(msgType, contentBytes: content.encoded(), parent: parent, metadata: metadata, buffers: buffers)
  }

  func publish(_ msgType: String, contentBytes: [UInt8], parent: [UInt8]?, metadata: JSONValue? = nil,
               buffers: [[UInt8]] = []) {
    var frames: [[UInt8]] = [Array(msgType.utf8), parent ?? WireCodec.emptyObject,
                             metadata?.encoded() ?? WireCodec.emptyObject, contentBytes]
    frames.append(contentsOf: buffers)
    lock.lock()
    queueIn.send(frames)
    lock.unlock()
  }

  /// The status messages that bracket every request, pre-encoded.
  static let busyContent: [UInt8] = Array("{\"execution_state\":\"busy\"}".utf8)
  static let idleContent: [UInt8] = Array("{\"execution_state\":\"idle\"}".utf8)
  static let startingContent: [UInt8] = Array("{\"execution_state\":\"starting\"}".utf8)

  func status(busy: Bool, parent: [UInt8]) {
    publish("status", contentBytes: busy ? IOPubPublisher.busyContent : IOPubPublisher.idleContent, parent: parent)
  }

  /// Forwards everything queued so far, then stops the thread (waits at most `timeout`).
  func stop(timeout: TimeInterval) {
    lock.lock()
    queueIn.send([IOPubPublisher.stopFrame])
    lock.unlock()
    stopped.wait(timeout: timeout)
  }

  private func run() {
    while true {
      guard let readable = zmqPoll(sockets: [queueOut, xpub], timeoutMilliseconds: -1) else { break }
      if readable[1] { answerSubscriptions() }
      if readable[0] {
        var keepGoing = true
        // Drain the queue in one go: fewer polls under load.
        while let frames = queueOut.receive(dontWait: true) {
          if frames.count == 1 && frames[0] == IOPubPublisher.stopFrame { keepGoing = false; break }
          forward(frames)
        }
        if !keepGoing { break }
      }
    }
    stopped.open()
  }

  private func forward(_ frames: [[UInt8]]) {
    guard frames.count >= 4 else { return }
    let msgType = String(decoding: frames[0], as: UTF8.self)
    let signed = [codec.header(msgType: msgType), frames[1], frames[2], frames[3]]
    var out: [[UInt8]] = [iopubTopic(msgType, session: session), wireDelimiter, codec.signer.sign(signed)]
    out.append(contentsOf: signed)
    if frames.count > 4 { out.append(contentsOf: frames[4...]) }
    xpub.send(out)
  }

  /// Reads XPUB subscription events ("\u{1}topic"); each subscription gets an `iopub_welcome`.
  private func answerSubscriptions() {
    while let frames = xpub.receive(dontWait: true) {
      guard let event = frames.first, event.first == 1 else { continue }
      let topic = Array(event.dropFirst())
      let content: JSONValue = ["subscription": .string(String(decoding: topic, as: UTF8.self))]
      var out = codec.encode(msgType: "iopub_welcome", content: content, parentHeader: nil, identities: [])
      if !topic.isEmpty { out.insert(topic, at: 0) }
      xpub.send(out)
    }
  }

  func closeSockets() {
    queueIn.close(lingerMilliseconds: 0)
    queueOut.close(lingerMilliseconds: 0)
    xpub.close(lingerMilliseconds: 1000)
  }
}
