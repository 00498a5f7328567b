import Foundation

/// Thrown by long computations when their `Progress` has been cancelled (a Jupyter interrupt, Ctrl-C).
public struct CancellationError: Error, CustomStringConvertible, Sendable {
  public init() {}
  public var description: String { "interrupted" }
}

/// How a long computation reports progress and learns that it should stop.
///
/// Algorithms know nothing of Jupyter: they take a `Progress`, call `update` from time to time
/// (cheap, thread-safe, throttled by the observer) and `checkCancelled()` between chunks of work,
/// which throws `CancellationError` once `cancel()` was called. State computed before the stop is
/// left intact by every caller, so a cancelled stage leaves the session usable.
public final class Progress: @unchecked Sendable {
  private let lock = NSLock()
  private var cancelled = false
  private var observer: (@Sendable (String, Double) -> Void)?
  private var lastReport = Date.distantPast
  /// Minimum seconds between two observer calls (the final 1.0 is always delivered).
  public var throttle: TimeInterval = 0.1

  public init(observer: (@Sendable (_ label: String, _ fraction: Double) -> Void)? = nil) {
    self.observer = observer
  }

  /// A progress that nobody watches and that is never cancelled.
  public static var none: Progress { Progress() }

  public var isCancelled: Bool {
    lock.lock(); defer { lock.unlock() }
    return cancelled
  }

  public func cancel() {
    lock.lock(); cancelled = true; lock.unlock()
  }

  /// Throws `CancellationError` if the computation was asked to stop.
  public func checkCancelled() throws {
    if isCancelled { throw CancellationError() }
  }

  /// Reports `fraction` in [0, 1] of the work labelled `label` as done.
  public func update(_ label: String, _ fraction: Double) {
    lock.lock()
    let now = Date()
    guard let observer, fraction >= 1 || now.timeIntervalSince(lastReport) >= throttle else {
      lock.unlock()
      return
    }
    lastReport = now
    lock.unlock()
    observer(label, min(max(fraction, 0), 1))
  }
}
