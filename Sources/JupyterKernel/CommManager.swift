import Foundation

/// One open comm between the kernel and a frontend.
public final class Comm: @unchecked Sendable {
  public let id: String
  public let targetName: String
  /// Sends comm_msg to the frontend (set by the kernel when the comm is registered).
  let sender: @Sendable (_ commID: String, _ data: JSONValue) -> Void
  let closer: @Sendable (_ commID: String, _ data: JSONValue) -> Void
  /// Called with each comm_msg's `data` from the frontend.
  public var onMessage: (@Sendable (JSONValue) -> Void)?
  /// Called when the frontend closes the comm.
  public var onClose: (@Sendable (JSONValue) -> Void)?

  init(id: String, targetName: String,
       sender: @escaping @Sendable (String, JSONValue) -> Void,
       closer: @escaping @Sendable (String, JSONValue) -> Void) {
    self.id = id; self.targetName = targetName; self.sender = sender; self.closer = closer
  }

  public func send(_ data: JSONValue) { sender(id, data) }
  public func close(_ data: JSONValue = [:]) { closer(id, data) }
}

/// The registry of comm targets and open comms, so features can accept comms from the frontend.
///
/// Opening a comm to an unknown target is answered by comm_close (the protocol's rule).
public final class CommManager: @unchecked Sendable {
  private let lock = NSLock()
  private var targets: [String: @Sendable (Comm, JSONValue) -> Void] = [:]
  private var open: [String: Comm] = [:]
  var sender: @Sendable (String, JSONValue) -> Void = { _, _ in }
  var closer: @Sendable (String, JSONValue) -> Void = { _, _ in }
  /// Publishes comm_open (comm id, target name, data) for comms the kernel opens.
  var opener: @Sendable (String, String, JSONValue) -> Void = { _, _, _ in }

  public init() {}

  /// Registers `handler`, called with the new comm and the comm_open `data` when a frontend opens `target`.
  public func registerTarget(_ target: String, handler: @escaping @Sendable (Comm, JSONValue) -> Void) {
    lock.lock(); targets[target] = handler; lock.unlock()
  }

  public func hasTarget(_ target: String) -> Bool {
    lock.lock(); defer { lock.unlock() }
    return targets[target] != nil
  }

  /// Open comms, optionally restricted to one target: id -> target name (for comm_info).
  public func openComms(target: String? = nil) -> [String: String] {
    lock.lock(); defer { lock.unlock() }
    var out: [String: String] = [:]
    for (id, comm) in open where target == nil || comm.targetName == target { out[id] = comm.targetName }
    return out
  }

  /// Handles a frontend's comm_open: true when accepted, false when the target is unknown.
  public func frontendOpened(id: String, target: String, data: JSONValue) -> Bool {
    lock.lock()
    guard let handler = targets[target] else { lock.unlock(); return false }
    let comm = Comm(id: id, targetName: target, sender: sender, closer: { [weak self] id, data in
      self?.forget(id)
      self?.closer(id, data)
    })
    open[id] = comm
    lock.unlock()
    handler(comm, data)
    return true
  }

  /// Opens a comm from the kernel side (comm_open to the frontend) and tracks it.
  @discardableResult
  public func open(target: String, data: JSONValue = [:], id: String? = nil) -> Comm {
    let commID = id ?? CommManager.newCommID()
    let comm = Comm(id: commID, targetName: target, sender: sender, closer: { [weak self] id, data in
      self?.forget(id)
      self?.closer(id, data)
    })
    lock.lock(); open[commID] = comm; lock.unlock()
    opener(commID, target, data)
    return comm
  }

  static func newCommID() -> String {
    var generator = MessageIDGenerator()
    return generator.next().replacingOccurrences(of: "-", with: "")
  }

  public func frontendSent(id: String, data: JSONValue) {
    lock.lock(); let comm = open[id]; lock.unlock()
    comm?.onMessage?(data)
  }

  public func frontendClosed(id: String, data: JSONValue) {
    lock.lock(); let comm = open.removeValue(forKey: id); lock.unlock()
    comm?.onClose?(data)
  }

  func forget(_ id: String) {
    lock.lock(); open.removeValue(forKey: id); lock.unlock()
  }
}
