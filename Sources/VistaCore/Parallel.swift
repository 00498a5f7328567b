import Foundation

/// Runs `body(chunk)` for `count` chunks on up to `threads` threads and waits.
///
/// Work is split into contiguous chunks so the result never depends on the thread count
/// when each chunk writes only its own outputs.
public func parallelFor(_ count: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (Int) -> Void) {
  if count <= 0 { return }
  if threads <= 1 || count == 1 {
    for i in 0..<count { body(i) }
    return
  }
  withoutActuallyEscaping(body) { body in
    DispatchQueue.concurrentPerform(iterations: count) { body($0) }
  }
}
