import CZMQ
import Foundation

/// The single, ordered path to IOPub.
///
/// Any thread calls `publish`; under one lock the message gets its header, is signed and is handed
/// to the XPUB socket. One lock keeps every output of a request ahead of its `idle`, and sending
/// from the caller's thread (rather than through a publisher thread) saves a thread wake-up per
/// message, which is what tail latency is made of on a busy machine.
///
/// Subscriptions (JEP 65) are answered with `iopub_welcome`: before and after every send, and by a watcher
/// thread woken by the socket's notification descriptor, so a subscriber is greeted even when the
/// kernel is idle.
///
/// Until the first subscription, messages are held (each for up to a second) and then sent to it,
/// after its welcome. A client connects all its sockets at once, but its subscription can reach the
/// kernel after its first request has been answered (ZeroMQ's slow joiner: while the kernel starts,
/// each socket retries its connection on its own 100 ms timer), and a PUB socket drops what it sends
/// before then: `jupyter console` with piped input waited forever for the `idle` of its first execute
/// (1 run in 30 on a loaded machine). Holding here rather than in the shell keeps every request
/// answered at once, also for a client that never subscribes.
final class IOPubPublisher: @unchecked Sendable {
  private let xpub: ZMQSocket
  private let lock = NSLock()
  private let codec: WireCodec
  private let session: String
  private var closed = false
  /// Stream text not yet sent: consecutive writes to one stream of one request become one message.
  private var pendingStream: (name: String, parent: [UInt8], text: String, since: UInt64)?
  /// Whether any client has subscribed yet; before that, messages wait in `held`.
  private var subscribed = false
  /// Messages published before the first subscription, with the time each was published.
  private var held: [(since: UInt64, frames: [[UInt8]])] = []
  /// How long a message waits for the first subscription, and how many may wait.
  static let holdNanoseconds: UInt64 = 1_000_000_000
  static let heldLimit = 1_024
  /// Pending stream text is sent at the latest this long after it was first written.
  static let streamFlushNanoseconds: UInt64 = 50_000_000
  static let streamFlushBytes = 64 * 1024

  /// `xpub` is already configured and bound.
  init(xpub: ZMQSocket, codec: WireCodec) {
    self.xpub = xpub
    self.codec = codec
    self.session = codec.session
  }

  /// Starts the subscription watcher.
  func start() {
    startThread(name: "iopub") { [self] in watchSubscriptions() }
  }

  /// Publishes one IOPub message. `parent` is the raw header of the request it belongs to.
  func publish(_ msgType: String, content: JSONValue, parent: [UInt8]?, metadata: JSONValue? = nil,
               buffers: [[UInt8]] = []) {
    publish(msgType, contentBytes: content.encoded(), parent: parent, metadata: metadata, buffers: buffers)
  }

  func publish(_ msgType: String, contentBytes: [UInt8], parent: [UInt8]?, metadata: JSONValue? = nil,
               buffers: [[UInt8]] = []) {
    let metadataBytes = metadata?.encoded() ?? WireCodec.emptyObject
    lock.lock()
    defer { lock.unlock() }
    guard !closed else { return }
    flushStreamLocked()
    sendLocked(msgType, contentBytes: contentBytes, parent: parent, metadataBytes: metadataBytes, buffers: buffers)
  }

  /// Writes to a stream ("stdout"/"stderr"). Consecutive writes are coalesced (ipykernel does the same)
  /// so chatty commands stay under frontends' message-rate limits; any other message, `flushStreams`,
  /// 50 ms or 64 KiB send the text.
  func stream(_ text: String, name: String, parent: [UInt8]) {
    lock.lock()
    defer { lock.unlock() }
    guard !closed else { return }
    if let pending = pendingStream, pending.name == name, pending.parent == parent {
      pendingStream!.text += text
    } else {
      flushStreamLocked()
      pendingStream = (name, parent, text, DispatchTime.now().uptimeNanoseconds)
    }
    if pendingStream!.text.utf8.count >= IOPubPublisher.streamFlushBytes { flushStreamLocked() }
  }

  /// Sends pending stream text now (before a reply, so outputs precede it).
  func flushStreams() {
    lock.lock()
    if !closed { flushStreamLocked() }
    lock.unlock()
  }

  private func flushStreamLocked() {
    guard let pending = pendingStream else { return }
    pendingStream = nil
    var bytes: [UInt8] = Array("{\"name\":".utf8)
    JSONWriter.appendString(pending.name, to: &bytes)
    bytes.append(contentsOf: Array(",\"text\":".utf8))
    JSONWriter.appendString(pending.text, to: &bytes)
    bytes.append(UInt8(ascii: "}"))
    sendLocked("stream", contentBytes: bytes, parent: pending.parent, metadataBytes: WireCodec.emptyObject, buffers: [])
  }

  private func sendLocked(_ msgType: String, contentBytes: [UInt8], parent: [UInt8]?, metadataBytes: [UInt8],
                          buffers: [[UInt8]]) {
    let signed = [codec.header(msgType: msgType), parent ?? WireCodec.emptyObject, metadataBytes, contentBytes]
    var out: [[UInt8]] = [iopubTopic(msgType, session: session), wireDelimiter, codec.signer.sign(signed)]
    out.append(contentsOf: signed)
    out.append(contentsOf: buffers)
    // Greet subscribers that arrived since the last send first, so a new subscriber's first message is
    // its iopub_welcome (checking the socket's events also attaches pending subscribers).
    answerSubscriptionsLocked()
    guard subscribed else {
      dropExpiredLocked()
      if held.count == IOPubPublisher.heldLimit { held.removeFirst() }
      held.append((DispatchTime.now().uptimeNanoseconds, out))
      return
    }
    xpub.send(out)
    answerSubscriptionsLocked()
  }

  /// Forgets held messages that have waited their time (a PUB socket would have dropped them).
  private func dropExpiredLocked() {
    let now = DispatchTime.now().uptimeNanoseconds
    held.removeAll { now - $0.since > IOPubPublisher.holdNanoseconds }
  }

  /// The status messages that bracket every request, pre-encoded.
  static let busyContent: [UInt8] = Array("{\"execution_state\":\"busy\"}".utf8)
  static let idleContent: [UInt8] = Array("{\"execution_state\":\"idle\"}".utf8)
  static let startingContent: [UInt8] = Array("{\"execution_state\":\"starting\"}".utf8)

  func status(busy: Bool, parent: [UInt8]) {
    publish("status", contentBytes: busy ? IOPubPublisher.busyContent : IOPubPublisher.idleContent, parent: parent)
  }

  /// Stops publishing (later calls are ignored); what was sent stays queued for delivery.
  func stop() {
    lock.lock()
    if !closed { flushStreamLocked() }
    closed = true
    lock.unlock()
  }

  /// Closes the socket; its pending messages leave within the linger time.
  func closeSockets() {
    lock.lock()
    closed = true
    xpub.close(lingerMilliseconds: 1000)
    lock.unlock()
  }

  /// Waits on the XPUB's notification descriptor (edge-triggered, so it also wakes every 25 ms to
  /// re-check), greets new subscribers and sends stream text that has waited long enough.
  private func watchSubscriptions() {
    var fd: Int32 = -1
    var size = MemoryLayout<Int32>.size
    lock.lock()
    zmq_getsockopt(xpub.handle, ZMQ_FD, &fd, &size)
    lock.unlock()
    while true {
      var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      _ = poll(&descriptor, 1, 25)
      lock.lock()
      if closed { lock.unlock(); return }
      answerSubscriptionsLocked()
      if !held.isEmpty { dropExpiredLocked() }
      if let pending = pendingStream,
         DispatchTime.now().uptimeNanoseconds - pending.since >= IOPubPublisher.streamFlushNanoseconds {
        flushStreamLocked()  // sends, and so greets subscribers, itself
      }
      lock.unlock()
    }
  }

  /// Reads pending subscription events ("\u{1}topic"); each subscription gets an `iopub_welcome`
  /// with an empty parent, prefixed by its topic when the topic is not empty. After the first
  /// subscription's welcome (and any other arriving with it), the held messages. Caller holds the lock.
  private func answerSubscriptionsLocked() {
    var greeted = false
    while xpub.hasPendingInput, let frames = xpub.receive(dontWait: true) {
      guard let event = frames.first, event.first == 1 else { continue }
      greeted = true
      let topic = Array(event.dropFirst())
      let content: JSONValue = ["subscription": .string(String(decoding: topic, as: UTF8.self))]
      var out = codec.encode(msgType: "iopub_welcome", content: content, parentHeader: nil, identities: [])
      if !topic.isEmpty { out.insert(topic, at: 0) }
      xpub.send(out)
    }
    guard greeted, !subscribed else { return }
    subscribed = true
    dropExpiredLocked()
    for message in held { xpub.send(message.frames) }
    held = []
  }
}
