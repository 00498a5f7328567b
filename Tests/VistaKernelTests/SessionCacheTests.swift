import Foundation
import VistaCore
import VistaData
import XCTest

@testable import VistaKernel

/// The caching promises of issue 5: change a stage and only downstream recomputes; a restarted kernel
/// reuses the disk cache; a corrupt cache file is rebuilt; a failed command changes nothing.
final class SessionCacheTests: XCTestCase {
  private var cacheDirectory: URL!

  override func setUp() {
    cacheDirectory = ToyPipeline.temporaryDirectory()
  }

  override func tearDown() {
    try? FileManager.default.removeItem(at: cacheDirectory)
  }

  private func makeSession() -> Session {
    let session = Session(cacheDirectory: cacheDirectory)
    ToyPipeline.register(on: session)
    return session
  }

  func testChangingOneStageRecomputesOnlyDownstream() throws {
    let session = makeSession()
    try ToyPipeline.runChain(session)
    let all: [Stage] = [.dataset, .codes, .selection, .layout, .map]
    XCTAssertEqual(session.computeCounts, Dictionary(uniqueKeysWithValues: all.map { ($0, 1) }))
    XCTAssertEqual(session.result(.map, as: [Float].self), [(361 + 324 + 289 + 256 + 225) * 0.5 + 5, 8])

    try session.run(.selection, parameters: ["top": "2"], command: "select top=2", progress: .none)
    XCTAssertEqual(session.record(.layout)?.state, .stale)
    XCTAssertEqual(session.record(.map)?.state, .stale)
    XCTAssertNil(session.result(.map, as: [Float].self), "a stale stage has no usable result")
    XCTAssertEqual(session.record(.codes)?.state, .fresh)
    try session.ensure(.map, progress: .none)

    XCTAssertEqual(session.computeCounts[.dataset], 1)
    XCTAssertEqual(session.computeCounts[.codes], 1)
    XCTAssertEqual(session.computeCounts[.selection], 2)
    XCTAssertEqual(session.computeCounts[.layout], 2)
    XCTAssertEqual(session.computeCounts[.map], 2)
    XCTAssertEqual(session.result(.map, as: [Float].self), [(361 + 324) * 0.5 + 2, 8])
    XCTAssertEqual(session.record(.layout)?.parameters, ["scale": "0.5"], "downstream keeps its parameters")

    // Going back to the first parameters costs no computation at all: every stage is a memory hit.
    try session.run(.selection, parameters: ["top": "5"], command: "select top=5", progress: .none)
    try session.ensure(.map, progress: .none)
    XCTAssertEqual(session.computeCounts[.selection], 2)
    XCTAssertEqual(session.computeCounts[.map], 2)
    XCTAssertEqual(session.record(.map)?.cacheHit, .memory)
    XCTAssertEqual(session.result(.map, as: [Float].self), [(361 + 324 + 289 + 256 + 225) * 0.5 + 5, 8])
  }

  func testRerunningTheSameParametersKeepsDownstreamFresh() throws {
    let session = makeSession()
    try ToyPipeline.runChain(session)
    try session.run(.codes, parameters: ["power": "2"], command: "sae apply power=2", progress: .none)
    XCTAssertEqual(session.record(.codes)?.cacheHit, .memory)
    XCTAssertEqual(session.record(.map)?.state, .fresh, "an unchanged result must not invalidate downstream")
    XCTAssertEqual(session.computeCounts[.codes], 1)
  }

  func testRestartedSessionReusesTheDiskCache() throws {
    let first = makeSession()
    try ToyPipeline.runChain(first)
    let expected = first.result(.map, as: [Float].self)

    let restarted = makeSession()
    try ToyPipeline.runChain(restarted)
    XCTAssertEqual(restarted.computeCounts[.dataset, default: 0], 0)
    XCTAssertEqual(restarted.computeCounts[.codes, default: 0], 0)
    XCTAssertEqual(restarted.computeCounts[.selection, default: 0], 0)
    XCTAssertEqual(restarted.computeCounts[.layout, default: 0], 0)
    XCTAssertEqual(restarted.diskHitCounts[.layout], 1)
    XCTAssertEqual(restarted.record(.codes)?.cacheHit, .disk)
    // The map stage has no codec: memory only, so it is the one stage computed again.
    XCTAssertEqual(restarted.computeCounts[.map], 1)
    XCTAssertEqual(restarted.result(.map, as: [Float].self), expected)
    XCTAssertEqual(restarted.record(.layout)?.fingerprint, first.record(.layout)?.fingerprint)
  }

  func testCorruptCacheFileIsDetectedAndRebuilt() throws {
    let first = makeSession()
    try ToyPipeline.runChain(first)
    let codesKey = try XCTUnwrap(first.record(.codes)?.fingerprint)
    let selectionKey = try XCTUnwrap(first.record(.selection)?.fingerprint)
    let cache = ArtifactCache(root: cacheDirectory)
    let codesFile = cache.fileURL(namespace: "codes", key: codesKey)
    let selectionFile = cache.fileURL(namespace: "selection", key: selectionKey)
    var bytes = try Data(contentsOf: codesFile)
    bytes[bytes.count - 2] ^= 0xFF
    try bytes.write(to: codesFile)
    let truncated = try Data(contentsOf: selectionFile)
    try truncated.prefix(truncated.count / 2).write(to: selectionFile)

    let restarted = makeSession()
    try ToyPipeline.runChain(restarted)
    XCTAssertEqual(restarted.computeCounts[.codes], 1, "the flipped file must not be trusted")
    XCTAssertEqual(restarted.computeCounts[.selection], 1, "the truncated file must not be trusted")
    XCTAssertEqual(restarted.computeCounts[.dataset, default: 0], 0)
    XCTAssertEqual(restarted.result(.map, as: [Float].self), first.result(.map, as: [Float].self))
    XCTAssertEqual(restarted.diskCache?.statistics.rejected, 2)

    // Rebuilt on disk: a third session finds valid files.
    let third = makeSession()
    try ToyPipeline.runChain(third)
    XCTAssertEqual(third.computeCounts[.codes, default: 0], 0)
    XCTAssertEqual(third.computeCounts[.selection, default: 0], 0)
  }

  func testUndecodablePayloadWithAValidChecksumIsRebuilt() throws {
    let first = makeSession()
    try ToyPipeline.runChain(first)
    let key = try XCTUnwrap(first.record(.selection)?.fingerprint)
    // A well-formed cache file whose payload is not a float array (an older layout, another type).
    try ArtifactCache(root: cacheDirectory).store(namespace: "selection", key: key, data: Data("not floats".utf8))

    let restarted = makeSession()
    try ToyPipeline.runChain(restarted)
    XCTAssertEqual(restarted.computeCounts[.selection], 1)
    XCTAssertEqual(restarted.result(.selection, as: [Float].self), [361, 324, 289, 256, 225])
    let rebuilt = try XCTUnwrap(ArtifactCache(root: cacheDirectory).load(namespace: "selection", key: key))
    XCTAssertEqual(try ArtifactSerialization.decodeFloats(rebuilt), [361, 324, 289, 256, 225])
  }

  func testFailedComputeLeavesTheSessionUnchanged() throws {
    let session = makeSession()
    try ToyPipeline.runChain(session)
    try session.run(.selection, parameters: ["top": "4"], command: "select top=4", progress: .none)
    let before = session.records
    let layoutBefore = session.record(.layout)

    // A failing upstream recompute (layout is stale and is brought up to date first) and a failing stage.
    XCTAssertThrowsError(
      try session.run(.map, parameters: ["bins": "2", "fail": "yes"], command: "map bins=2 fail=yes", progress: .none)
    ) { error in
      XCTAssertEqual((error as? VistaError)?.location, "option fail")
    }
    XCTAssertEqual(session.records, before, "records must be exactly as before the failed command")
    XCTAssertEqual(session.record(.layout), layoutBefore, "the upstream recompute is rolled back too")
    XCTAssertNil(session.result(.layout, as: [Float].self))

    // A cancelled compute is the same: nothing changes, the error is CancellationError.
    let progress = VistaCore.Progress()
    progress.cancel()
    XCTAssertThrowsError(
      try session.run(.codes, parameters: ["power": "3"], command: "sae apply power=3", progress: progress)
    ) { error in
      XCTAssertTrue(error is CancellationError)
    }
    XCTAssertEqual(session.records, before)
    XCTAssertEqual(session.result(.codes, as: [Float].self)?.last, 361)
  }

  func testEnsureLeavesStaleStagesItDoesNotReadAlone() throws {
    let session = makeSession()
    // fidelity reads the layout; map is re-registered to read the layout only, not fidelity.
    session.register(.fidelity, StageComputation(inputs: [.layout], codec: .floats) { session, _, _ in
      [try session.require(.layout, as: [Float].self).reduce(0, +)]
    })
    session.register(.map, StageComputation(inputs: [.layout], codec: .floats) { session, _, _ in
      try session.require(.layout, as: [Float].self).map { $0 * 2 }
    })
    try ToyPipeline.runChain(session)
    try session.run(.fidelity, parameters: [:], command: "gain", progress: .none)
    XCTAssertEqual(session.record(.map)?.state, .stale, "everything after fidelity in the chain is marked stale")
    try session.ensure(.map, progress: .none)
    XCTAssertEqual(session.record(.map)?.cacheHit, .memory, "map does not read fidelity: same fingerprint")

    try session.run(.layout, parameters: ["scale": "2"], command: "layout scale=2", progress: .none)
    try session.ensure(.map, progress: .none)
    XCTAssertEqual(session.record(.fidelity)?.state, .stale, "fidelity is not needed by map and stays stale")
    XCTAssertEqual(session.computeCounts[.fidelity], 1)
    XCTAssertEqual(session.result(.map, as: [Float].self)?.first, (361 * 2 + 1) * 2)
    XCTAssertEqual(session.dependencies(of: .map), [.layout, .selection, .codes, .dataset].sorted())
  }

  func testEnsureNamesTheCommandForAStageNeverRun() throws {
    let session = makeSession()
    try session.run(.dataset, parameters: ["n": "5"], progress: .none)
    XCTAssertThrowsError(try session.ensure(.layout, progress: .none)) { error in
      XCTAssertEqual("\(error)", "stage layout has not been run yet; run `layout umap` first")
    }
    XCTAssertThrowsError(try session.run(.selection, parameters: [:], progress: .none)) { error in
      XCTAssertTrue("\(error)".contains("stage codes has not been run yet"), "\(error)")
    }
    XCTAssertEqual(session.record(.selection), nil)
  }

  func testChangingTheSeedMakesOnlySeedUsersStale() throws {
    let session = makeSession()
    try ToyPipeline.runChain(session)
    session.defaults["threads"] = "2"
    XCTAssertTrue(session.isFresh(.map), "threads does not change results")
    session.defaults["seed"] = "7"
    XCTAssertEqual(session.record(.selection)?.state, .fresh)
    XCTAssertEqual(session.record(.layout)?.state, .stale)
    XCTAssertEqual(session.record(.map)?.state, .stale)
    try session.ensure(.map, progress: .none)
    XCTAssertEqual(session.computeCounts[.selection], 1)
    XCTAssertEqual(session.computeCounts[.layout], 2)
    XCTAssertEqual(session.result(.layout, as: [Float].self)?.first, 361 * 0.5 + 7)
  }

  func testResetForgetsStageAndDownstreamButKeepsTheCache() throws {
    let session = makeSession()
    try ToyPipeline.runChain(session)
    session.reset(.layout)
    XCTAssertNil(session.record(.layout))
    XCTAssertNil(session.record(.map))
    XCTAssertNotNil(session.record(.selection))
    try session.run(.layout, parameters: ["scale": "0.5"], command: "layout scale=0.5", progress: .none)
    XCTAssertEqual(session.computeCounts[.layout], 1, "the cached result is reused after a reset")
    session.reset(nil)
    XCTAssertTrue(session.records.isEmpty)
  }

  func testDiskCacheLimitEvictsOldArtefacts() throws {
    XCTAssertEqual(Session.parseByteCount("20G"), 20 << 30)
    XCTAssertEqual(Session.parseByteCount("1.5k"), 1536)
    XCTAssertEqual(Session.parseByteCount("4096"), 4096)
    XCTAssertNil(Session.parseByteCount("lots"))
    let session = makeSession()
    // Room for about two small artefacts: the chain's five stores keep the cache under the limit.
    let limit = 2 * (ArtifactCache.headerSize + 8 + 20 * 4)
    session.diskCacheLimit = limit
    try ToyPipeline.runChain(session)
    let size = try XCTUnwrap(session.diskCache?.sizeOnDisk().total)
    XCTAssertLessThanOrEqual(size, limit)
    XCTAssertGreaterThan(size, 0)
  }

  func testCodeVersionChangeInvalidatesTheDiskCache() throws {
    let first = makeSession()
    try ToyPipeline.runChain(first)
    let upgraded = makeSession()
    upgraded.codeVersion = "vista-test-next"
    try ToyPipeline.runChain(upgraded)
    XCTAssertEqual(upgraded.computeCounts[.dataset], 1)
    XCTAssertNotEqual(upgraded.record(.dataset)?.fingerprint, first.record(.dataset)?.fingerprint)
  }
}
