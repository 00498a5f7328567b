import CZMQ
import Foundation

/// A thin owner of one libzmq socket. Not thread-safe: each socket belongs to one thread
/// (or is handed between threads under a lock).
final class ZMQSocket {
  let handle: UnsafeMutableRawPointer
  let name: String

  init(context: UnsafeMutableRawPointer, type: Int32, name: String) throws {
    guard let socket = zmq_socket(context, type) else {
      throw KernelError("cannot create the \(name) socket: \(ZMQSocket.lastError())", at: name)
    }
    handle = socket
    self.name = name
  }

  static func lastError() -> String { String(cString: zmq_strerror(zmq_errno())) }

  func setOption(_ option: Int32, _ value: Int32) {
    var v = value
    _ = zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size)
  }

  func setOption(_ option: Int32, bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
  }

  /// Binds to `endpoint` ("tcp://127.0.0.1:0" binds a free port) and returns the bound endpoint.
  @discardableResult
  func bind(_ endpoint: String) throws -> String {
    var attempts = 0
    while zmq_bind(handle, endpoint) != 0 {
      // A restarted kernel may race the previous process releasing the port: retry briefly.
      attempts += 1
      if zmq_errno() != EADDRINUSE || attempts > 50 {
        throw KernelError("cannot bind \(endpoint): \(ZMQSocket.lastError())", at: "\(name) socket")
      }
      usleep(20_000)
    }
    var buffer = [CChar](repeating: 0, count: 512)
    var size = buffer.count
    zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
    return String(cString: buffer)
  }

  /// Sends `frames` as one multipart message. Returns false if the socket refused (e.g. no route).
  @discardableResult
  func send(_ frames: [[UInt8]]) -> Bool {
    for (i, frame) in frames.enumerated() {
      let flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
      while true {
        let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
        if rc >= 0 { break }
        if zmq_errno() == EINTR { continue }
        return false
      }
    }
    return true
  }

  /// Receives one whole multipart message. nil on EAGAIN (non-blocking) or when the context ends.
  func receive(dontWait: Bool = false) -> [[UInt8]]? {
    var frames: [[UInt8]] = []
    var msg = zmq_msg_t()
    zmq_msg_init(&msg)
    defer { zmq_msg_close(&msg) }
    while true {
      let rc = zmq_msg_recv(&msg, handle, dontWait ? ZMQ_DONTWAIT : 0)
      if rc < 0 {
        if zmq_errno() == EINTR { continue }
        // EAGAIN or the context ending; a mid-message failure only happens at shutdown: drop the partial message.
        return nil
      }
      let size = zmq_msg_size(&msg)
      if size == 0 {
        frames.append([])
      } else {
        let data = zmq_msg_data(&msg)!
        frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
      }
      if zmq_msg_more(&msg) == 0 { return frames }
    }
  }

  /// Whether a message is waiting (without blocking).
  var hasPendingInput: Bool {
    var events: Int32 = 0
    var size = MemoryLayout<Int32>.size
    zmq_getsockopt(handle, ZMQ_EVENTS, &events, &size)
    return events & Int32(ZMQ_POLLIN) != 0
  }

  func close(lingerMilliseconds: Int32 = 1000) {
    setOption(ZMQ_LINGER, lingerMilliseconds)
    zmq_close(handle)
  }
}

/// Polls sockets and raw file descriptors; returns the readable flags, retrying on EINTR.
func zmqPoll(sockets: [ZMQSocket], fds: [Int32] = [], timeoutMilliseconds: Int) -> [Bool]? {
  var items: [zmq_pollitem_t] = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
  for fd in fds { items.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0)) }
  while true {
    let rc = zmq_poll(&items, Int32(items.count), timeoutMilliseconds)
    if rc >= 0 { return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 } }
    if zmq_errno() == EINTR { continue }
    return nil  // ETERM: the context is shutting down
  }
}
