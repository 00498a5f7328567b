import Foundation
import VistaCore

/// A content-addressed store of computed artefacts on disk, shared by every stage of a session.
///
/// Files live at `<root>/<namespace>/<key>.vcache`. Each starts with a 56-byte header — magic `VISTACA1`,
/// format version, payload byte count and the payload's SHA-256 — so a partial or corrupt file (a crash
/// mid-write, a flipped byte, a truncated copy) is detected on load, deleted, and reported as a miss:
/// the caller recomputes and stores it again. Writes go to a temporary file in the same folder and are
/// renamed into place, so readers never see half a file. All methods are thread-safe.
public final class ArtifactCache: @unchecked Sendable {
  /// Header layout: magic (8) | format version (UInt32 LE) | reserved (UInt32) | payload count (UInt64 LE) | SHA-256 (32).
  public static let magic: [UInt8] = Array("VISTACA1".utf8)
  public static let formatVersion: UInt32 = 1
  public static let headerSize = 8 + 4 + 4 + 8 + 32
  public static let fileExtension = "vcache"

  public let root: URL
  private let lock = NSLock()
  private var counters = Counters()

  /// What the cache has seen since it was opened (for tests and `status`).
  public struct Counters: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
    public var stores = 0
    /// Files found corrupt or partial and deleted.
    public var rejected = 0
  }

  /// Opens (and creates) a cache rooted at `root`.
  public init(root: URL) {
    self.root = root
  }

  /// The default root: `$VISTA_HOME/cache` (see `VistaHome.directory`).
  public static var defaultRoot: URL {
    VistaHome.directory().appendingPathComponent("cache", isDirectory: true)
  }

  /// A snapshot of the hit/miss/store/rejected counters.
  public var statistics: Counters {
    lock.lock(); defer { lock.unlock() }
    return counters
  }

  /// Where the artefact `key` of `namespace` lives (whether or not it exists).
  public func fileURL(namespace: String, key: String) -> URL {
    root.appendingPathComponent(Self.safeComponent(namespace), isDirectory: true)
      .appendingPathComponent(Self.safeComponent(key) + "." + Self.fileExtension)
  }

  /// The payload stored under `key`, or nil when absent. A file whose header, length or checksum
  /// does not match is deleted and reported as absent.
  public func load(namespace: String, key: String) -> Data? {
    let url = fileURL(namespace: namespace, key: key)
    // Read, not mapped: a file damaged in place while mapped would crash the kernel (SIGBUS) instead of
    // being rejected.
    guard let handle = try? FileHandle(forReadingFrom: url) else {
      count { $0.misses += 1 }
      return nil
    }
    let header = (try? handle.read(upToCount: Self.headerSize)) ?? nil
    let body = (try? handle.readToEnd()) ?? nil
    try? handle.close()
    guard let payload = Self.verifiedPayload(header: header ?? Data(), body: body ?? Data()) else {
      try? FileManager.default.removeItem(at: url)
      count { $0.misses += 1; $0.rejected += 1 }
      return nil
    }
    count { $0.hits += 1 }
    // The modification time doubles as "last used", so `trim` evicts the least recently used first.
    try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
    return payload
  }

  /// Stores `data` under `key`, atomically replacing any previous file.
  public func store(namespace: String, key: String, data: Data) throws {
    let url = fileURL(namespace: namespace, key: key)
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      var file = Data(capacity: Self.headerSize + data.count)
      file.append(contentsOf: Self.magic)
      Self.appendLittleEndian(Self.formatVersion, to: &file)
      Self.appendLittleEndian(UInt32(0), to: &file)
      Self.appendLittleEndian(UInt64(data.count), to: &file)
      file.append(contentsOf: SHA256.digest(data))
      file.append(data)
      let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
      try file.write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        let code = errno
        try? FileManager.default.removeItem(at: temporary)
        throw VistaError("cannot move cache file into place (errno \(code))", at: url.path)
      }
    } catch let error as VistaError {
      throw error
    } catch {
      throw VistaError("cannot write cache file: \(error.localizedDescription)", at: url.path)
    }
    count { $0.stores += 1 }
  }

  /// Whether a (not yet verified) file exists for `key`.
  public func contains(namespace: String, key: String) -> Bool {
    FileManager.default.fileExists(atPath: fileURL(namespace: namespace, key: key).path)
  }

  /// Deletes the artefact `key`, if present.
  public func remove(namespace: String, key: String) {
    try? FileManager.default.removeItem(at: fileURL(namespace: namespace, key: key))
  }

  /// Deletes every artefact of `namespace`, or of every namespace when nil.
  public func removeAll(namespace: String? = nil) {
    let target = namespace.map { root.appendingPathComponent(Self.safeComponent($0), isDirectory: true) } ?? root
    try? FileManager.default.removeItem(at: target)
  }

  /// Bytes used by cache files (headers included), per namespace and in total.
  public func sizeOnDisk() -> (total: Int, byNamespace: [String: Int]) {
    var byNamespace: [String: Int] = [:]
    let manager = FileManager.default
    guard let namespaces = try? manager.contentsOfDirectory(at: root, includingPropertiesForKeys: nil) else {
      return (0, [:])
    }
    for folder in namespaces {
      guard let files = try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.fileSizeKey])
      else { continue }
      var bytes = 0
      for file in files where file.pathExtension == Self.fileExtension {
        bytes += (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0
      }
      byNamespace[folder.lastPathComponent] = bytes
    }
    return (byNamespace.values.reduce(0, +), byNamespace)
  }

  /// Deletes the least recently used artefacts until the cache holds at most `maxBytes`; returns the bytes freed.
  @discardableResult
  public func trim(toBytes maxBytes: Int) -> Int {
    let manager = FileManager.default
    let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
    var files: [(url: URL, bytes: Int, used: Date)] = []
    let namespaces = (try? manager.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
    for folder in namespaces {
      let entries = (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: keys)) ?? []
      for file in entries where file.pathExtension == Self.fileExtension {
        let values = try? file.resourceValues(forKeys: Set(keys))
        files.append((file, values?.fileSize ?? 0, values?.contentModificationDate ?? .distantPast))
      }
    }
    var total = files.reduce(0) { $0 + $1.bytes }
    var freed = 0
    for file in files.sorted(by: { ($0.used, $0.url.path) < ($1.used, $1.url.path) }) where total > maxBytes {
      if (try? manager.removeItem(at: file.url)) != nil {
        total -= file.bytes
        freed += file.bytes
      }
    }
    return freed
  }

  /// `body` when `header` (the first `headerSize` bytes) has the magic, version, byte count and checksum of it.
  static func verifiedPayload(header: Data, body: Data) -> Data? {
    guard header.count == headerSize else { return nil }
    let bytes = [UInt8](header)
    guard Array(bytes[0..<8]) == magic else { return nil }
    guard readLittleEndian(UInt32.self, bytes, at: 8) == formatVersion else { return nil }
    guard readLittleEndian(UInt64.self, bytes, at: 16) == UInt64(body.count) else { return nil }
    guard SHA256.digest(body) == Array(bytes[24..<56]) else { return nil }
    return body
  }

  private func count(_ change: (inout Counters) -> Void) {
    lock.lock(); change(&counters); lock.unlock()
  }

  /// Keeps a key or namespace a single harmless path component.
  static func safeComponent(_ text: String) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    let cleaned = String(text.map { allowed.contains($0) ? $0 : "_" })
    return cleaned.isEmpty || cleaned.hasPrefix(".") ? "_" + cleaned : cleaned
  }

  private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
  }

  private static func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
    var value: T = 0
    for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
    return value
  }
}
