import Foundation
import JupyterKernel
import VistaCore

/// Bridges a `VistaCore.Progress` to a notebook display: after `showAfter` seconds a progress bar appears
/// (display_data with a display_id) and is replaced in place by update_display_data as the work advances;
/// `finish()` leaves it showing the elapsed time. Work that ends sooner shows nothing.
public final class ProgressDisplay: @unchecked Sendable {
  public let title: String
  public let displayID: String
  private let context: ExecutionContext
  private let started = Date()
  private let lock = NSLock()
  private var shown = false
  private var finished = false
  private var label = ""
  private var fraction = 0.0
  /// The progress handed to algorithms; cancelled by an interrupt.
  public private(set) var progress: Progress = .none

  private let showAfter: TimeInterval

  /// Seconds of work before a bar appears: 1 s, or `VISTA_PROGRESS_AFTER` (tests set 0 so that bars show
  /// however fast the machine is).
  public static let defaultShowAfter: TimeInterval =
    ProcessInfo.processInfo.environment["VISTA_PROGRESS_AFTER"].flatMap(Double.init) ?? 1.0

  public init(title: String, context: ExecutionContext, showAfter: TimeInterval = ProgressDisplay.defaultShowAfter) {
    self.title = title
    self.showAfter = showAfter
    self.context = context
    self.displayID = "vista-progress-" + UUID().uuidString.lowercased()
    self.progress = Progress(observer: { [weak self] label, fraction in self?.report(label, fraction) })
    if showAfter <= 0 {
      show()
    } else {
      DispatchQueue.global().asyncAfter(deadline: .now() + showAfter) { [weak self] in self?.show() }
    }
  }

  private func report(_ label: String, _ fraction: Double) {
    lock.lock()
    self.label = label
    self.fraction = fraction
    let visible = shown && !finished
    let due = !shown && Date().timeIntervalSince(started) >= showAfter
    lock.unlock()
    if visible { context.update(bundle(), displayID: displayID) } else if due { show() }
  }

  private func show() {
    lock.lock()
    guard !shown, !finished else { lock.unlock(); return }
    shown = true
    lock.unlock()
    context.display(bundle(), displayID: displayID)
  }

  /// Marks the work done; a visible bar is replaced by "title: done in N s" (or "interrupted").
  public func finish(interrupted: Bool = false) {
    lock.lock()
    guard !finished else { lock.unlock(); return }
    finished = true
    let visible = shown
    lock.unlock()
    if visible { context.update(bundle(done: true, interrupted: interrupted), displayID: displayID) }
  }

  public var elapsed: TimeInterval { Date().timeIntervalSince(started) }

  func bundle(done: Bool = false, interrupted: Bool = false) -> MimeBundle {
    lock.lock()
    let label = self.label, fraction = done && !interrupted ? 1 : self.fraction
    lock.unlock()
    let seconds = String(format: "%.1f s", elapsed)
    let status: String
    if done { status = interrupted ? "interrupted after \(seconds)" : "done in \(seconds)" }
    else { status = "\(Int(fraction * 100))%" + (label.isEmpty ? "" : " · \(label)") + " · \(seconds)" }
    let filled = Int((fraction * 30).rounded())
    let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "]"
    let text = "\(title) \(bar) \(status)"
    let html = "<div style=\"font-family:monospace;font-size:12px\">\(HTML.escape(title)) "
      + "<progress value=\"\(String(format: "%.3f", fraction))\" max=\"1\" style=\"width:240px;vertical-align:middle\"></progress> "
      + "\(HTML.escape(status))</div>"
    return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html)])
  }
}
