import Foundation
import VistaCore
import XCTest

@testable import VistaData

final class ArtifactCacheTests: XCTestCase {
  private var root: URL!

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("vista-cache-\(UUID().uuidString)")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  private func payload(_ count: Int, seed: UInt64 = 1) -> Data {
    var generator = SeededGenerator(seed: seed)
    return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
  }

  func testStoreThenLoadRoundTripsAndCounts() throws {
    let cache = ArtifactCache(root: root)
    XCTAssertNil(cache.load(namespace: "codes", key: "abc"))
    let data = payload(10_000)
    try cache.store(namespace: "codes", key: "abc", data: data)
    XCTAssertEqual(cache.load(namespace: "codes", key: "abc"), data)
    XCTAssertEqual(cache.statistics, ArtifactCache.Counters(hits: 1, misses: 1, stores: 1, rejected: 0))
    let file = cache.fileURL(namespace: "codes", key: "abc")
    XCTAssertEqual(file.path, root.path + "/codes/abc.vcache")
    // No temporary files are left next to the artefact.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path), ["abc.vcache"])
    XCTAssertEqual(cache.sizeOnDisk().total, ArtifactCache.headerSize + data.count)
    XCTAssertEqual(cache.sizeOnDisk().byNamespace["codes"], ArtifactCache.headerSize + data.count)
  }

  func testFlippedPayloadByteIsRejectedAndDeleted() throws {
    let cache = ArtifactCache(root: root)
    try cache.store(namespace: "layout", key: "k", data: payload(4096))
    let file = cache.fileURL(namespace: "layout", key: "k")
    var bytes = try Data(contentsOf: file)
    bytes[ArtifactCache.headerSize + 100] ^= 0x01
    try bytes.write(to: file)
    XCTAssertNil(cache.load(namespace: "layout", key: "k"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), "a corrupt file must be removed")
    XCTAssertEqual(cache.statistics.rejected, 1)
  }

  func testTruncatedAndHeaderDamagedFilesAreRejected() throws {
    let cache = ArtifactCache(root: root)
    let data = payload(2000)
    let file = cache.fileURL(namespace: "sae", key: "k")
    // Truncated payload, truncated header, wrong magic, wrong length field: all refused.
    let damages: [(inout Data) -> Void] = [
      { $0 = $0.prefix($0.count - 1) },
      { $0 = $0.prefix(20) },
      { $0[0] = UInt8(ascii: "X") },
      { $0[16] ^= 0x02 },
      { $0.append(0) },
    ]
    for (index, damage) in damages.enumerated() {
      try cache.store(namespace: "sae", key: "k", data: data)
      var bytes = try Data(contentsOf: file)
      damage(&bytes)
      try bytes.write(to: file)
      XCTAssertNil(cache.load(namespace: "sae", key: "k"), "damage \(index) went unnoticed")
      XCTAssertFalse(FileManager.default.fileExists(atPath: file.path))
    }
    // Rebuilt: a fresh store is trusted again.
    try cache.store(namespace: "sae", key: "k", data: data)
    XCTAssertEqual(cache.load(namespace: "sae", key: "k"), data)
  }

  func testConcurrentStoresAndLoadsStayConsistent() throws {
    let cache = ArtifactCache(root: root)
    let payloads = (0..<8).map { payload(16_000, seed: UInt64($0)) }
    let failures = LockedCounter()
    DispatchQueue.concurrentPerform(iterations: 64) { i in
      let key = "k\(i % 4)"
      let data = payloads[i % 8]
      do { try cache.store(namespace: "n", key: key, data: data) } catch { failures.increment() }
      // Whatever a reader sees is one complete payload, never a mix or a partial file.
      if let loaded = cache.load(namespace: "n", key: key), !payloads.contains(loaded) { failures.increment() }
    }
    XCTAssertEqual(failures.value, 0)
    XCTAssertEqual(cache.statistics.rejected, 0)
  }

  func testKeysCannotEscapeTheRoot() {
    let cache = ArtifactCache(root: root)
    let url = cache.fileURL(namespace: "../x", key: "../../etc/passwd")
    XCTAssertTrue(url.path.hasPrefix(root.path + "/"))
    XCTAssertFalse(url.path.contains("/../"))
  }

  func testTrimEvictsTheLeastRecentlyUsedFirst() throws {
    let cache = ArtifactCache(root: root)
    for key in ["old", "middle", "new"] {
      try cache.store(namespace: "layout", key: key, data: payload(1000))
    }
    // Age the files explicitly (timestamps within one second are too close to order).
    let now = Date()
    for (offset, key) in ["old", "middle", "new"].enumerated() {
      try FileManager.default.setAttributes(
        [.modificationDate: now.addingTimeInterval(Double(offset - 10) * 60)],
        ofItemAtPath: cache.fileURL(namespace: "layout", key: key).path)
    }
    XCTAssertNotNil(cache.load(namespace: "layout", key: "old"), "a hit makes `old` the most recently used")
    let each = ArtifactCache.headerSize + 1000
    XCTAssertEqual(cache.trim(toBytes: 2 * each), each)
    XCTAssertFalse(cache.contains(namespace: "layout", key: "middle"))
    XCTAssertTrue(cache.contains(namespace: "layout", key: "old"))
    XCTAssertTrue(cache.contains(namespace: "layout", key: "new"))
    XCTAssertEqual(cache.sizeOnDisk().total, 2 * each)
  }

  func testRemoveAllEmptiesANamespace() throws {
    let cache = ArtifactCache(root: root)
    try cache.store(namespace: "a", key: "1", data: Data([1]))
    try cache.store(namespace: "b", key: "1", data: Data([2]))
    cache.removeAll(namespace: "a")
    XCTAssertNil(cache.load(namespace: "a", key: "1"))
    XCTAssertEqual(cache.load(namespace: "b", key: "1"), Data([2]))
  }
}

/// A counter safe to bump from concurrent test workers.
final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.lock(); count += 1; lock.unlock() }
  var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
