import Foundation
import VistaCore

/// How one variant of a sweep ended.
public enum SweepStatus: String, Sendable {
  case finished, failed, cancelled
}

/// One variant of a sweep: its parameters, its result or error, and how long it took.
public struct SweepItem<R> {
  public var parameters: StageParameters
  public var result: Result<R, Error>
  public var elapsed: TimeInterval

  public var status: SweepStatus {
    switch result {
    case .success: return .finished
    case .failure(let error): return error is CancellationError ? .cancelled : .failed
    }
  }

  /// The value when the variant finished.
  public var value: R? { try? result.get() }
}

/// The variants of a sweep in grid order. After an interrupt, finished variants keep their results and
/// the others are `.cancelled`.
public struct SweepOutcome<R> {
  public var items: [SweepItem<R>]
  public var interrupted: Bool

  /// The same items as (parameters, result, seconds) tuples, in grid order.
  public var results: [(StageParameters, Result<R, Error>, TimeInterval)] {
    items.map { ($0.parameters, $0.result, $0.elapsed) }
  }

  public var finishedCount: Int { items.filter { $0.status == .finished }.count }

  /// The index of the finished variant with the highest score (`pick=best`); ties go to the earlier one.
  /// Nil when nothing finished or every score is NaN.
  public func best(by score: (R) -> Double) -> Int? {
    var bestIndex: Int?
    var bestScore = -Double.infinity
    for (index, item) in items.enumerated() {
      guard let value = item.value else { continue }
      let s = score(value)
      if !s.isNaN, bestIndex == nil || s > bestScore {
        bestIndex = index
        bestScore = s
      }
    }
    return bestIndex
  }
}

/// Runs `evaluate` for every element of `grid` on up to `threads` threads, results in grid order.
///
/// Each variant gets its own `Progress`, cancelled as soon as `progress` is, so an interrupt stops the
/// running variants at their next `checkCancelled()`; variants that had not started are marked cancelled
/// and finished ones keep their results. `onProgress(completed, total)` is called after each variant.
public func runSweep<R>(
  grid: [StageParameters], threads: Int, progress: Progress,
  onProgress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
  evaluate: @escaping (StageParameters, Progress) throws -> R
) -> SweepOutcome<R> {
  let total = grid.count
  let lock = NSLock()
  var slots: [SweepItem<R>?] = Array(repeating: nil, count: total)
  var nextIndex = 0
  var completed = 0
  var running: [Int: Progress] = [:]

  // Forwards the outer cancellation to the running variants.
  let watcher = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
  watcher.schedule(deadline: .now(), repeating: .milliseconds(20))
  watcher.setEventHandler {
    guard progress.isCancelled else { return }
    lock.lock()
    let active = Array(running.values)
    lock.unlock()
    for child in active { child.cancel() }
  }
  watcher.resume()
  defer { watcher.cancel() }

  let workers = max(1, min(threads, total))
  DispatchQueue.concurrentPerform(iterations: workers) { _ in
    while true {
      lock.lock()
      guard nextIndex < total else { lock.unlock(); return }
      let index = nextIndex
      nextIndex += 1
      let child = Progress()
      running[index] = child
      lock.unlock()

      let parameters = grid[index]
      let start = DispatchTime.now()
      let result: Result<R, Error>
      if progress.isCancelled {
        result = .failure(CancellationError())
      } else {
        result = Result { try evaluate(parameters, child) }
      }
      let item = SweepItem(parameters: parameters, result: result, elapsed: seconds(since: start))

      lock.lock()
      running[index] = nil
      slots[index] = item
      completed += 1
      let done = completed
      lock.unlock()
      progress.update("sweep", Double(done) / Double(max(total, 1)))
      onProgress?(done, total)
    }
  }
  let items = slots.enumerated().map { index, slot in
    slot ?? SweepItem<R>(parameters: grid[index], result: .failure(CancellationError()), elapsed: 0)
  }
  return SweepOutcome(items: items, interrupted: progress.isCancelled)
}

extension Session {
  /// Computes `stage` for every variant through its registered computation and the caches (so running the
  /// winner afterwards is a memory hit), without changing the session. Upstream must be up to date
  /// (call `ensure` on the stage before it first). Each variant is `overrides` merged over the stage's
  /// stored parameters, when it has any.
  public func sweepStage<T>(
    _ stage: Stage, grid: [StageParameters], as type: T.Type, threads: Int, progress: Progress,
    onProgress: ((_ completed: Int, _ total: Int) -> Void)? = nil
  ) -> SweepOutcome<T> {
    let base = storedParameters(stage)?.values ?? [:]
    let variants = grid.map { StageParameters($0.values.merging(base) { override, _ in override }) }
    return runSweep(grid: variants, threads: threads, progress: progress, onProgress: onProgress) {
      [unowned self] parameters, child in
      let made = try self.materialize(stage, parameters: parameters, progress: child)
      guard let value = made.value as? T else {
        throw VistaError("stage \(stage.rawValue) does not produce \(T.self)")
      }
      return value
    }
  }
}

/// Expansion of sweep options (`neighbors=5,15,50 min_dist=0.0..0.5:0.25`) into parameter combinations.
public enum SweepGrid {
  /// Every combination, in a deterministic order: axes in the given order, the first varying slowest.
  public static func expand(_ axes: [(name: String, values: [String])]) -> [StageParameters] {
    var combos: [[String: String]] = [[:]]
    for axis in axes {
      var next: [[String: String]] = []
      next.reserveCapacity(combos.count * axis.values.count)
      for combo in combos {
        for value in axis.values {
          var extended = combo
          extended[axis.name] = value
          next.append(extended)
        }
      }
      combos = next
    }
    return axes.isEmpty ? [] : combos.map { StageParameters($0) }
  }

  /// Every combination with axes in sorted name order (the first name varies slowest).
  public static func expand(_ axes: [String: [String]]) -> [StageParameters] {
    expand(axes.keys.sorted().map { (name: $0, values: axes[$0] ?? []) })
  }

  /// The values of one sweep option: a list `5,15,50`, an integer range `5..8` (5,6,7,8), or a stepped
  /// range `0.0..0.5:0.25` (0.0, 0.25, 0.5). A single value is a one-element list.
  ///
  /// - Throws: `VistaError` naming the option for an empty list, a range with a bad bound or step,
  ///   or more than `limit` values.
  public static func values(_ text: String, option: String, limit: Int = 1000) throws -> [String] {
    let where_ = "option \(option)"
    if let dots = text.range(of: "..") {
      let lowText = String(text[..<dots.lowerBound])
      var highText = String(text[dots.upperBound...])
      var stepText: String?
      if let colon = highText.firstIndex(of: ":") {
        stepText = String(highText[highText.index(after: colon)...])
        highText = String(highText[..<colon])
      }
      if stepText == nil, let low = Int(lowText), let high = Int(highText) {
        guard low <= high else { throw VistaError("range \(text) runs backwards; write low..high", at: where_) }
        guard high - low < limit else { throw VistaError("range \(text) has more than \(limit) values", at: where_) }
        return (low...high).map(String.init)
      }
      guard let low = Double(lowText), let high = Double(highText) else {
        throw VistaError("range \(text) needs numbers on both sides of `..`", at: where_)
      }
      guard let stepText, let step = Double(stepText), step > 0 else {
        throw VistaError("range \(text) of decimals needs a positive step: low..high:step", at: where_)
      }
      guard low <= high else { throw VistaError("range \(text) runs backwards; write low..high:step", at: where_) }
      let count = Int(((high - low) / step + 1e-9).rounded(.down)) + 1
      guard count <= limit else { throw VistaError("range \(text) has more than \(limit) values", at: where_) }
      let decimals = [lowText, stepText].map { $0.split(separator: ".").dropFirst().first?.count ?? 0 }.max() ?? 0
      let isInteger = [lowText, highText, stepText].allSatisfy { Int($0) != nil }
      return (0..<count).map { i in
        let value = low + Double(i) * step
        return isInteger ? String(Int(value.rounded())) : String(format: "%.\(max(decimals, 1))f", value)
      }
    }
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard !parts.contains(where: \.isEmpty) else {
      throw VistaError("list \"\(text)\" has an empty value; write a,b,c", at: where_)
    }
    guard parts.count <= limit else { throw VistaError("list has more than \(limit) values", at: where_) }
    return parts
  }
}
