import Foundation

/// Starts a detached POSIX thread running `body` (no Foundation Thread machinery on the start-up path).
func startThread(name: String, _ body: @escaping () -> Void) {
  final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let rc = pthread_create(&thread, nil, { raw in
    let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
    box.body()
    return nil
  }, box)
  precondition(rc == 0, "cannot start thread \(name)")
  pthread_detach(thread)
}

/// A one-shot latch threads can wait on with a timeout.
final class Latch: @unchecked Sendable {
  private let condition = NSCondition()
  private var isOpen = false

  func open() {
    condition.lock(); isOpen = true; condition.broadcast(); condition.unlock()
  }

  /// Waits until open; false on timeout.
  @discardableResult
  func wait(timeout: TimeInterval) -> Bool {
    condition.lock(); defer { condition.unlock() }
    let deadline = Date(timeIntervalSinceNow: timeout)
    while !isOpen {
      if !condition.wait(until: deadline) { return isOpen }
    }
    return true
  }

  var opened: Bool { condition.lock(); defer { condition.unlock() }; return isOpen }
}

/// Writes one diagnostic line to stderr (the server log; never the notebook).
func logLine(_ text: String) {
  let line = "[vista kernel] \(text)\n"
  _ = line.withCString { fputs($0, stderr) }
}
