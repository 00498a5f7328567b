import Foundation
import JupyterKernel

/// An `ExecutionContext` with no frontend: it keeps what a command displays, as a notebook cell would
/// end up showing it, so `HeadlessRunner` can write it to files.
///
/// Displays with an id are kept at their last update (a figure that is refined in place is written
/// once, in its final form); `clearOutput` drops what the command showed so far.
final class HeadlessOutputRecorder: ExecutionContext, @unchecked Sendable {
  /// One output of a command: a bundle, and the display id it was sent with, if any.
  struct Output {
    var bundle: MimeBundle
    var displayID: String?
  }

  private let lock = NSLock()
  private var outputs: [Output] = []
  private var stdoutText = ""
  private var stderrText = ""
  private var interruptHandlers: [@Sendable () -> Void] = []
  private var interrupted = false
  let comms = CommManager()
  private(set) var executionCount = 0

  /// Starts recording a new command.
  func begin(executionCount: Int) {
    lock.lock()
    outputs.removeAll()
    stdoutText = ""
    stderrText = ""
    interruptHandlers.removeAll()
    self.executionCount = executionCount
    lock.unlock()
  }

  /// What the command left: its outputs in display order, then its stdout and stderr text.
  func finish() -> (outputs: [Output], stdout: String, stderr: String) {
    lock.lock()
    defer { lock.unlock() }
    return (outputs, stdoutText, stderrText)
  }

  func stream(_ text: String, toStderr: Bool) {
    lock.lock()
    if toStderr { stderrText += text } else { stdoutText += text }
    lock.unlock()
  }

  func display(_ bundle: MimeBundle, displayID: String?) {
    lock.lock()
    outputs.append(Output(bundle: bundle, displayID: displayID))
    lock.unlock()
  }

  func update(_ bundle: MimeBundle, displayID: String) {
    lock.lock()
    for index in outputs.indices where outputs[index].displayID == displayID {
      outputs[index].bundle = bundle
    }
    lock.unlock()
  }

  func clearOutput(wait: Bool) {
    lock.lock()
    outputs.removeAll()
    stdoutText = ""
    stderrText = ""
    lock.unlock()
  }

  func input(prompt: String, password: Bool) throws -> String {
    throw ExecutionError(name: "StdinNotAllowed", value: "a headless run cannot ask for input (\(prompt))")
  }

  var isInterrupted: Bool {
    lock.lock()
    defer { lock.unlock() }
    return interrupted
  }

  func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
    lock.lock()
    let already = interrupted
    if !already { interruptHandlers.append(handler) }
    lock.unlock()
    if already { handler() }
  }

  /// Delivers an interrupt (Ctrl-C during `vista run`) to the running command.
  func interrupt() {
    lock.lock()
    interrupted = true
    let handlers = interruptHandlers
    interruptHandlers.removeAll()
    lock.unlock()
    for handler in handlers { handler() }
  }
}
