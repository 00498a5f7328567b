import Foundation

/// What the interpreter keeps between cells: the session (the pipeline) and what the explorer sent.
public final class KernelState: @unchecked Sendable {
  private let lock = NSLock()
  private var _selection: ExplorerSelection?
  private var _kernelID: String?
  private var _atlas: URL?
  /// The pipeline: stages, parameters, results and caches.
  public let session: Session

  public init(session: Session) {
    self.session = session
    PipelineStages.register(on: session)
  }

  /// The Jupyter kernel id (from the connection file), embedded in explorer pages; nil in-process.
  public var kernelID: String? {
    get { lock.lock(); defer { lock.unlock() }; return _kernelID }
    set { lock.lock(); _kernelID = newValue; lock.unlock() }
  }

  /// The folder of the last `render atlas`, shown under the explorer's points.
  public var atlasDirectory: URL? {
    get { lock.lock(); defer { lock.unlock() }; return _atlas }
    set { lock.lock(); _atlas = newValue; lock.unlock() }
  }

  /// The last selection the explorer sent over the `vista.explorer` comm.
  public var explorerSelection: ExplorerSelection? {
    get { lock.lock(); defer { lock.unlock() }; return _selection }
    set { lock.lock(); _selection = newValue; lock.unlock() }
  }
}

/// A set of points picked in the explorer: caption ids and row indices into the current layout.
public struct ExplorerSelection: Sendable, Equatable {
  public var ids: [String]
  public var indices: [Int]
  public var received: Date
  public init(ids: [String], indices: [Int], received: Date = Date()) {
    self.ids = ids; self.indices = indices; self.received = received
  }
}
