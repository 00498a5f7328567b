import Foundation
import JupyterKernel
import VistaCore

/// What a running command sees: the cell's outputs, the kernel state, the registry (for `help`) and
/// progress displays wired to interrupts.
public final class CommandContext: @unchecked Sendable {
  public let execution: ExecutionContext
  public let state: KernelState
  public let registry: CommandRegistry
  private let lock = NSLock()
  private var progresses: [Progress] = []
  private var interrupted = false

  init(execution: ExecutionContext, state: KernelState, registry: CommandRegistry) {
    self.execution = execution
    self.state = state
    self.registry = registry
  }

  public var session: Session { state.session }

  public func write(_ text: String) { execution.stream(text, toStderr: false) }
  public func writeError(_ text: String) { execution.stream(text, toStderr: true) }
  public func display(_ bundle: MimeBundle, id: String? = nil) { execution.display(bundle, displayID: id) }

  /// True once the cell was interrupted.
  public var isInterrupted: Bool { execution.isInterrupted || { lock.lock(); defer { lock.unlock() }; return interrupted }() }

  /// Throws `CancellationError` when the cell was interrupted.
  public func checkInterrupted() throws { if isInterrupted { throw CancellationError() } }

  /// A progress bar for long work (shown only if it lasts over a second); an interrupt cancels its `progress`.
  public func progressDisplay(_ title: String, showAfter: TimeInterval = ProgressDisplay.defaultShowAfter) -> ProgressDisplay {
    let display = ProgressDisplay(title: title, context: execution, showAfter: showAfter)
    lock.lock()
    progresses.append(display.progress)
    let already = interrupted || execution.isInterrupted
    lock.unlock()
    if already { display.progress.cancel() }
    return display
  }

  /// Runs `work` with a progress display, finishing it with the elapsed time (or "interrupted").
  @discardableResult
  public func withProgress<T>(_ title: String, _ work: (Progress) throws -> T) throws -> T {
    let display = progressDisplay(title)
    do {
      let result = try work(display.progress)
      display.finish()
      return result
    } catch {
      display.finish(interrupted: error is CancellationError)
      throw error
    }
  }

  /// Called by the interpreter's interrupt handler.
  func interruptAll() {
    lock.lock()
    interrupted = true
    let all = progresses
    lock.unlock()
    for p in all { p.cancel() }
  }
}
