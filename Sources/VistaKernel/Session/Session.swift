import Foundation
import VistaCore
import VistaData

/// The VISTA pipeline a notebook tunes stage by stage: parameters, results and their provenance.
///
/// Every stage result is keyed by a fingerprint (SHA-256 over the upstream fingerprint, the stage, its
/// canonical parameters, the defaults it reads and the code version), so asking for the same thing twice
/// costs nothing: first the memory cache, then the disk cache (when the stage has a codec), then a real
/// compute. Running a stage with new parameters marks every downstream stage stale; `ensure` brings a
/// stage up to date by recomputing, in chain order, only the stale stages it reads (directly or not).
///
/// Operations are transactional: when a compute throws (including `CancellationError`), the session's
/// records, results and defaults are exactly as before the call. Commands run on one thread; results may
/// be read from any thread (sweeps evaluate variants in parallel).
public final class Session: @unchecked Sendable {
  /// Part of every fingerprint: bump when a change to the algorithms makes cached results wrong.
  public static let defaultCodeVersion = "vista-0.1.0"

  /// The code version folded into fingerprints (tests change it to simulate an upgrade).
  public var codeVersion: String {
    get { withLock { codeVersionStorage } }
    set { withLock { codeVersionStorage = newValue } }
  }

  /// The disk cache, nil for a memory-only session.
  public let diskCache: ArtifactCache?

  /// Most bytes the disk cache may hold; after each store the least recently used artefacts beyond it are
  /// deleted. Defaults to `$VISTA_CACHE_LIMIT` (bytes, or with a K/M/G suffix), else unlimited.
  public var diskCacheLimit: Int? {
    get { withLock { diskLimitStorage } }
    set { withLock { diskLimitStorage = newValue } }
  }

  /// Parses a byte count such as `500M`, `20G` or `1048576`; nil when malformed.
  public static func parseByteCount(_ text: String) -> Int? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var digits = trimmed
    var scale = 1
    if let last = trimmed.last, let unit = units[last] {
      scale = unit
      digits = String(trimmed.dropLast())
    }
    guard let value = Double(digits), value >= 0, value * Double(scale) < Double(Int.max) else { return nil }
    return Int(value * Double(scale))
  }

  /// Most results kept in memory across all stages (least recently used go first).
  public var memoryCacheLimit: Int {
    get { withLock { memoryLimit } }
    set { withLock { memoryLimit = max(1, newValue); trimMemoryCache() } }
  }

  /// Set by headless runs: outputs leave out timings and cache provenance (see `statusTable`), so the
  /// same recipe writes the same bytes whether it computed or hit the cache. Commands should honour it too.
  public var reproducibleOutputs: Bool {
    get { withLock { reproducibleStorage } }
    set { withLock { reproducibleStorage = newValue } }
  }

  /// Where commands write files given by a relative path (`export layout x.csv`): set by `vista run --out DIR`;
  /// nil writes them relative to the working directory.
  public var outputDirectory: URL? {
    get { withLock { outputDirectoryStorage } }
    set { withLock { outputDirectoryStorage = newValue } }
  }

  private let lock = NSLock()
  private var outputDirectoryStorage: URL?
  private var reproducibleStorage = false
  private var diskLimitStorage = ProcessInfo.processInfo.environment["VISTA_CACHE_LIMIT"].flatMap(Session.parseByteCount)
  private var codeVersionStorage = Session.defaultCodeVersion
  private var memoryLimit = 48
  private var computations: [Stage: StageComputation] = [:]
  private var state = SessionState()
  private var memoryCache: [String: Any] = [:]
  private var memoryOrder: [String] = []
  private var computeCountStorage: [Stage: Int] = [:]
  private var diskHitStorage: [Stage: Int] = [:]
  private var warnings: [String] = []

  /// Everything a failed command must leave as it was.
  struct SessionState {
    var records: [Stage: StageRecord] = [:]
    var results: [Stage: Any] = [:]
    var defaults: [String: String] = ["seed": "1"]
    var outputCommands: [OutputCommand] = []
  }

  /// An output command (`preview`, `gain` …) and the stage it reads, so a reset drops what can no longer run.
  struct OutputCommand: Equatable {
    var text: String
    var requires: Stage
  }

  /// Opens a session whose disk cache lives in `cacheDirectory` (nil: memory only).
  public init(cacheDirectory: URL?) {
    diskCache = cacheDirectory.map { ArtifactCache(root: $0) }
  }

  /// `$VISTA_HOME/cache`, with `VISTA_HOME` defaulting to `~/.cache/vista`.
  public static var defaultCacheDirectory: URL { ArtifactCache.defaultRoot }

  /// A session on the default disk cache, `$VISTA_HOME/cache`.
  public convenience init() {
    self.init(cacheDirectory: ArtifactCache.defaultRoot)
  }

  // MARK: - Defaults

  /// Session defaults (`set seed=1 threads=2`). `seed` defaults to "1". A stage's fingerprint includes
  /// the defaults its computation declares in `usesDefaults`, so changing one marks those stages stale.
  public var defaults: [String: String] {
    get { withLock { state.defaults } }
    set {
      withLock {
        state.defaults = newValue
        markStaleWhereFingerprintsChanged()
      }
    }
  }

  /// The number of worker threads sweeps and parallel stages should use (`set threads=N`).
  public var threads: Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard let text = defaults["threads"], let value = Int(text), value > 0 else { return cores }
    return value
  }

  /// The session seed (`set seed=N`), 1 unless set.
  public var seed: UInt64 { UInt64(defaults["seed"] ?? "1") ?? 1 }

  // MARK: - Registration and counters

  /// Registers (or replaces) the computation of `stage`.
  public func register(_ stage: Stage, _ computation: StageComputation) {
    withLock { computations[stage] = computation }
  }

  /// Real computations per stage (cache hits excluded).
  public var computeCounts: [Stage: Int] { withLock { computeCountStorage } }
  /// Disk-cache hits per stage.
  public var diskHitCounts: [Stage: Int] { withLock { diskHitStorage } }

  /// Problems that did not stop a command (a cache file that could not be written), oldest first; reading clears them.
  public func takeWarnings() -> [String] {
    withLock {
      defer { warnings.removeAll() }
      return warnings
    }
  }

  // MARK: - Reading

  /// The stage's result when it is fresh; nil when empty, stale or of another type.
  public func result<T>(_ stage: Stage, as type: T.Type) -> T? {
    withLock {
      guard state.records[stage]?.state == .fresh else { return nil }
      return state.results[stage] as? T
    }
  }

  /// The fresh result of an upstream stage, for computations: throws `StageNotConfigured` when the stage was
  /// never configured, a `VistaError` when it is not up to date.
  public func require<T>(_ stage: Stage, as type: T.Type) throws -> T {
    guard let value = result(stage, as: type) else {
      if record(stage) == nil {
        throw StageNotConfigured(stage: stage)
      }
      throw VistaError("stage \(stage.rawValue) is not up to date or holds another kind of result")
    }
    return value
  }

  /// What the session knows about `stage`; nil when it was never run (or was reset).
  public func record(_ stage: Stage) -> StageRecord? {
    withLock { state.records[stage] }
  }

  /// Records of every configured stage, in chain order.
  public var records: [StageRecord] {
    withLock { Stage.allCases.compactMap { state.records[$0] } }
  }

  /// The output commands (`preview`, `gain` …) the command layer recorded, in order.
  public var outputCommands: [String] { withLock { state.outputCommands.map(\.text) } }

  /// Remembers an output command the user ran, so `recipe()` replays it after the stage commands.
  /// Repeating the last recorded command is not recorded twice.
  ///
  /// - Parameter requires: the last stage the output reads (`preview`: `.map`, `export layout`: `.layout`).
  ///   Resetting that stage (or one before it) drops the command from the recipe, which could no longer run it.
  public func recordOutputCommand(_ text: String, requires: Stage) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return }
    withLock {
      let command = OutputCommand(text: trimmed, requires: requires)
      if state.outputCommands.last != command { state.outputCommands.append(command) }
    }
  }

  // MARK: - Running

  /// Sets `stage`'s parameters and computes it (memory cache, then disk cache, then a real compute),
  /// first bringing the configured stages it depends on up to date. Every downstream stage becomes stale when the
  /// result changed. If anything throws, the session is left exactly as it was and the error propagates.
  ///
  /// - Parameter command: the command text that configured the stage, replayed by `recipe()`;
  ///   empty: `<stage> key=value …`.
  @discardableResult
  public func run(_ stage: Stage, parameters: StageParameters, command: String = "", progress: Progress) throws
    -> StageRecord
  {
    try transaction {
      try bringUpToDate(dependencies(of: stage), progress: progress)
      return try materializeAndCommit(stage, parameters: parameters, command: command, progress: progress)
    }
  }

  /// Brings `stage` up to date: recomputes, in chain order and with their stored parameters, the stage and the
  /// configured stages it depends on (its computation's `inputs`, transitively) that are stale or whose
  /// fingerprint no longer matches their inputs. Stale stages it does not depend on are left alone.
  ///
  /// - Throws: `StageNotConfigured` when `stage` was never configured; any compute error
  ///   (the session is then left as it was).
  public func ensure(_ stage: Stage, progress: Progress) throws {
    guard record(stage) != nil else {
      throw StageNotConfigured(stage: stage)
    }
    try transaction {
      try bringUpToDate(dependencies(of: stage) + [stage], progress: progress)
    }
  }

  /// Whether `stage` is configured and up to date (what `ensure` would leave alone).
  public func isFresh(_ stage: Stage) -> Bool {
    withLock {
      guard let record = state.records[stage], record.state == .fresh else { return false }
      return expectedFingerprint(stage, parameters: record.parameters, in: state) == record.fingerprint
    }
  }

  /// Forgets `stage` and everything downstream, with the output commands that read them (nil: the whole
  /// session).
  /// Cached artefacts stay in the caches, so running the same parameters again is still free.
  public func reset(_ stage: Stage?) {
    withLock {
      guard let stage else {
        state.records.removeAll()
        state.results.removeAll()
        state.outputCommands.removeAll()
        return
      }
      for affected in [stage] + stage.downstream {
        state.records[affected] = nil
        state.results[affected] = nil
      }
      state.outputCommands.removeAll { $0.requires >= stage }
    }
  }

  // MARK: - Internals shared with sweeps

  /// A computed (or cache-loaded) stage value and how it was obtained; nothing committed.
  struct Materialized {
    var value: Any
    var fingerprint: String
    var cacheHit: CacheHit
    var elapsed: TimeInterval
  }

  /// Finds or computes `stage` with `parameters` against the current upstream, without changing the session
  /// (caches and counters aside). Safe to call from several threads at once.
  func materialize(_ stage: Stage, parameters: StageParameters, progress: Progress) throws -> Materialized {
    let start = DispatchTime.now()
    let (computation, fingerprint, cached) = try withLock { () throws -> (StageComputation, String, Any?) in
      guard let computation = computations[stage] else {
        throw VistaError("stage \(stage.rawValue) has no computation registered")
      }
      let fingerprint = expectedFingerprint(stage, parameters: parameters, in: state)
      let cached = memoryCache[memoryKey(stage, fingerprint)]
      if cached != nil { touchMemory(memoryKey(stage, fingerprint)) }
      return (computation, fingerprint, cached)
    }
    if let cached {
      return Materialized(value: cached, fingerprint: fingerprint, cacheHit: .memory, elapsed: seconds(since: start))
    }
    if let decode = computation.decode, let diskCache,
      let payload = diskCache.load(namespace: stage.rawValue, key: fingerprint)
    {
      do {
        let value = try decode(payload)
        withLock {
          diskHitStorage[stage, default: 0] += 1
          remember(value, key: memoryKey(stage, fingerprint))
        }
        return Materialized(value: value, fingerprint: fingerprint, cacheHit: .disk, elapsed: seconds(since: start))
      } catch {
        // A file whose checksum holds but which does not decode (an older layout): never trusted, rebuilt.
        diskCache.remove(namespace: stage.rawValue, key: fingerprint)
      }
    }
    try progress.checkCancelled()
    let value = try computation.compute(self, parameters, progress)
    withLock {
      computeCountStorage[stage, default: 0] += 1
      remember(value, key: memoryKey(stage, fingerprint))
    }
    if let encode = computation.encode, let diskCache {
      do {
        try diskCache.store(namespace: stage.rawValue, key: fingerprint, data: try encode(value))
        if let limit = diskCacheLimit { diskCache.trim(toBytes: limit) }
      } catch {
        withLock { warnings.append("could not cache \(stage.rawValue) on disk: \(error)") }
      }
    }
    return Materialized(value: value, fingerprint: fingerprint, cacheHit: .none, elapsed: seconds(since: start))
  }

  /// The stored parameters of `stage`, for sweeps that vary some of them.
  func storedParameters(_ stage: Stage) -> StageParameters? { record(stage)?.parameters }

  // MARK: - Private

  @discardableResult
  private func materializeAndCommit(
    _ stage: Stage, parameters: StageParameters, command: String, progress: Progress
  ) throws -> StageRecord {
    let made = try materialize(stage, parameters: parameters, progress: progress)
    let text = command.isEmpty ? Session.defaultCommand(stage, parameters) : command
    let record = StageRecord(
      stage: stage, parameters: parameters, state: .fresh, fingerprint: made.fingerprint,
      elapsed: made.elapsed, cacheHit: made.cacheHit, command: text)
    withLock {
      let previous = state.records[stage]
      state.records[stage] = record
      state.results[stage] = made.value
      if previous?.fingerprint != made.fingerprint || previous?.state != .fresh {
        for later in stage.downstream where state.records[later] != nil {
          state.records[later]?.state = .stale
          state.results[later] = nil
        }
      }
    }
    return record
  }

  /// Recomputes, in chain order, the configured stages of `stages` that are not fresh.
  private func bringUpToDate(_ stages: [Stage], progress: Progress) throws {
    for stage in stages where record(stage) != nil && !isFresh(stage) {
      guard let record = record(stage) else { continue }
      try materializeAndCommit(stage, parameters: record.parameters, command: record.command, progress: progress)
    }
  }

  /// Runs `body`; if it throws, puts records, results, defaults and output commands back as they were.
  /// Commands that configure several stages run through it as one step (`CommandContext.atomically`).
  func transaction<R>(_ body: () throws -> R) throws -> R {
    let saved = withLock { state }
    do {
      return try body()
    } catch {
      withLock { state = saved }
      throw error
    }
  }

  /// The configured stages `stage` reads, directly or through them, in chain order.
  func dependencies(of stage: Stage) -> [Stage] {
    withLock {
      var needed = Set<Stage>()
      var frontier = directInputs(of: stage, in: state)
      while let next = frontier.popLast() {
        if needed.insert(next).inserted { frontier += directInputs(of: next, in: state) }
      }
      return needed.sorted()
    }
  }

  /// The configured stages whose fingerprints feed `stage`'s: its declared inputs, else the nearest configured
  /// stage upstream.
  private func directInputs(of stage: Stage, in state: SessionState) -> [Stage] {
    if let inputs = computations[stage]?.inputs {
      return inputs.filter { $0 < stage && state.records[$0] != nil }.sorted()
    }
    return stage.upstream.reversed().first(where: { state.records[$0] != nil }).map { [$0] } ?? []
  }

  /// SHA-256 over the inputs' fingerprints, the stage (and its algorithm revision), canonical parameters,
  /// declared defaults and code version.
  private func expectedFingerprint(_ stage: Stage, parameters: StageParameters, in state: SessionState) -> String {
    let computation = computations[stage]
    let upstream = directInputs(of: stage, in: state).map { "\($0.rawValue)=\(state.records[$0]?.fingerprint ?? "-")" }
    let usedDefaults = (computation?.usesDefaults ?? []).sorted().map { "\($0)=\(state.defaults[$0] ?? "")" }
    var hasher = SHA256()
    hasher.update("vista-session-fingerprint-1\n")
    hasher.update("code \(codeVersionStorage)\n")
    hasher.update("stage \(stage.rawValue)\n")
    if stage.algorithmRevision > 1 { hasher.update("revision \(stage.algorithmRevision)\n") }
    hasher.update("upstream \(upstream.joined(separator: ";"))\n")
    hasher.update("parameters \(parameters.canonicalText)\n")
    hasher.update("defaults \(usedDefaults.joined(separator: ";"))\n")
    return hasher.hexDigest()
  }

  /// After a defaults change: stages whose fingerprint moved, and everything after them, become stale.
  private func markStaleWhereFingerprintsChanged() {
    var staleFromHere = false
    for stage in Stage.allCases {
      guard let record = state.records[stage] else { continue }
      if staleFromHere || expectedFingerprint(stage, parameters: record.parameters, in: state) != record.fingerprint {
        staleFromHere = true
        state.records[stage]?.state = .stale
        state.results[stage] = nil
      }
    }
  }

  private func memoryKey(_ stage: Stage, _ fingerprint: String) -> String { stage.rawValue + ":" + fingerprint }

  private func remember(_ value: Any, key: String) {
    memoryCache[key] = value
    touchMemory(key)
    trimMemoryCache()
  }

  private func touchMemory(_ key: String) {
    memoryOrder.removeAll { $0 == key }
    memoryOrder.append(key)
  }

  private func trimMemoryCache() {
    while memoryOrder.count > memoryLimit {
      memoryCache[memoryOrder.removeFirst()] = nil
    }
  }

  static func defaultCommand(_ stage: Stage, _ parameters: StageParameters) -> String {
    parameters.values.isEmpty ? stage.rawValue : "\(stage.rawValue) \(parameters)"
  }

  private func withLock<R>(_ body: () throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}

/// Seconds elapsed since `start`.
func seconds(since start: DispatchTime) -> TimeInterval {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
