import Foundation
import JupyterKernel

/// A test harness implementing `ExecutionContext`: records every output a command sends.
final class RecordingContext: ExecutionContext, @unchecked Sendable {
  enum Event: Equatable {
    case stream(String, stderr: Bool)
    case display(MimeBundle, id: String?)
    case update(MimeBundle, id: String)
    case clear(wait: Bool)
  }

  private let lock = NSLock()
  private var _events: [Event] = []
  private var interruptHandlers: [@Sendable () -> Void] = []
  private var interrupted = false
  let comms = CommManager()
  var executionCount = 1

  var events: [Event] { lock.lock(); defer { lock.unlock() }; return _events }

  func stream(_ text: String, toStderr: Bool) { record(.stream(text, stderr: toStderr)) }
  func display(_ bundle: MimeBundle, displayID: String?) { record(.display(bundle, id: displayID)) }
  func update(_ bundle: MimeBundle, displayID: String) { record(.update(bundle, id: displayID)) }
  func clearOutput(wait: Bool) { record(.clear(wait: wait)) }
  func input(prompt: String, password: Bool) throws -> String {
    throw ExecutionError(name: "StdinNotAllowed", value: "no stdin in tests")
  }

  var isInterrupted: Bool { lock.lock(); defer { lock.unlock() }; return interrupted }

  func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
    lock.lock(); interruptHandlers.append(handler); lock.unlock()
  }

  /// Simulates an interrupt_request arriving on the control thread.
  func interrupt() {
    lock.lock()
    interrupted = true
    let handlers = interruptHandlers
    interruptHandlers = []
    lock.unlock()
    for h in handlers { h() }
  }

  private func record(_ e: Event) { lock.lock(); _events.append(e); lock.unlock() }

  var stdout: String {
    events.compactMap { if case .stream(let t, false) = $0 { return t } else { return nil } }.joined()
  }
  var stderr: String {
    events.compactMap { if case .stream(let t, true) = $0 { return t } else { return nil } }.joined()
  }
  /// display_data outputs, without progress bars (displays with an id, updated in place).
  var displays: [MimeBundle] {
    events.compactMap { if case .display(let b, nil) = $0 { return b } else { return nil } }
  }
  var updates: [MimeBundle] {
    events.compactMap { if case .update(let b, _) = $0 { return b } else { return nil } }
  }
}

extension MimeBundle {
  func string(_ mime: String) -> String? {
    if case .string(let s)? = data[mime] { return s }
    return nil
  }
}
