import Foundation
import JupyterKernel
import VistaCore
import VistaData
import VistaEncode
import XCTest
@testable import VistaKernel

/// `activations load` + `sae load params.npz` + `sae apply`: activations and a Gemma Scope SAE brought from
/// elsewhere, written by the test with VistaData's writers, and the codes checked against the JumpReLU formula.
final class ExternalActivationsTests: XCTestCase {
  private var data: SyntheticDataset!
  private var interpreter: VistaInterpreter!
  private let dIn = 6, dSAE = 10, captions = 12

  override func setUpWithError() throws {
    data = try SyntheticDataset(count: captions, groups: 3)
    interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
  }

  override func tearDownWithError() throws { data.remove() }

  private func url(_ name: String) -> URL { data.folder.appendingPathComponent(name) }

  @discardableResult
  private func run(_ code: String) throws -> RecordingContext {
    let context = RecordingContext()
    _ = try interpreter.execute(code: code, silent: false, context: context)
    return context
  }

  private func failure(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
      try run(code)
      XCTFail("expected `\(code)` to fail", file: file, line: line)
      return ""
    } catch {
      return (error as? ExecutionError)?.value ?? "\(error)"
    }
  }

  /// A random matrix with a fixed seed (values in -1...1).
  private func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    return Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in rng.nextUnitFloat() * 2 - 1 })
  }

  /// A Gemma Scope params.npz (JumpReLU) of the given input width; returns its weights for the reference formula.
  @discardableResult
  private func writeGemmaScope(_ name: String, dIn: Int) throws -> (wEnc: Matrix, bEnc: [Float], threshold: [Float]) {
    let wEnc = randomMatrix(dIn, dSAE, seed: 3), wDec = randomMatrix(dSAE, dIn, seed: 4)
    let bEnc = (0..<dSAE).map { Float($0 % 3) * 0.1 - 0.1 }, threshold = (0..<dSAE).map { Float($0 % 4) * 0.15 }
    try NPZ.write([Tensor(name: "W_enc", matrix: wEnc), Tensor(name: "W_dec", matrix: wDec),
                   Tensor(name: "b_enc", shape: [dSAE], floats: bEnc), Tensor(name: "b_dec", shape: [dIn], floats: [Float](repeating: 0, count: dIn)),
                   Tensor(name: "threshold", shape: [dSAE], floats: threshold)], to: url(name))
    return (wEnc, bEnc, threshold)
  }

  /// The JumpReLU code of one activation row, computed directly from the formula.
  private func jumpReLU(_ x: ArraySlice<Float>, _ sae: (wEnc: Matrix, bEnc: [Float], threshold: [Float])) -> [Float] {
    (0..<dSAE).map { j in
      var pre = sae.bEnc[j]
      for (i, v) in x.enumerated() { pre += v * sae.wEnc[i, j] }
      return pre > sae.threshold[j] && pre > 0 ? pre : 0
    }
  }

  func testTokenActivationsWithAShuffledCaptionIndexPoolToTheJumpReLUCodes() throws {
    // 3 tokens for even captions, 2 for odd ones, rows deliberately not grouped by caption.
    var index: [Int] = []
    for c in 0..<captions { index += Array(repeating: c, count: c % 2 == 0 ? 3 : 2) }
    var rng = SeededGenerator(seed: 9)
    index.shuffle(using: &rng)
    let acts = randomMatrix(index.count, dIn, seed: 8)
    try NPY.write(acts, to: url("acts.npy"))
    try NPY.write(Tensor(name: "index", shape: [index.count], int64s: index.map(Int64.init)), to: url("index.npy"))
    let sae = try writeGemmaScope("params.npz", dIn: dIn)

    let loaded = try run("load \(data.captionsPath)\nactivations load \(url("acts.npy").path) caption_index=\(url("index.npy").path)")
    XCTAssertTrue(loaded.displays.last?.string("text/plain")?.contains("d_in") ?? false)
    try run("sae load \(url("params.npz").path)")
    let codes = try XCTUnwrap(interpreter.session.result(.codes, as: SparseMatrix.self))
    XCTAssertEqual(codes.rows, captions)
    XCTAssertEqual(codes.cols, dSAE)

    func expected(mean: Bool) -> [[Float]] {
      var pooled = [[Float]](repeating: [Float](repeating: 0, count: dSAE), count: captions)
      var counts = [Int](repeating: 0, count: captions)
      for (row, c) in index.enumerated() {
        let code = jumpReLU(acts.storage[(row * dIn)..<((row + 1) * dIn)], sae)
        counts[c] += 1
        for j in 0..<dSAE { pooled[c][j] = mean ? pooled[c][j] + code[j] : max(pooled[c][j], code[j]) }
      }
      return mean ? pooled.enumerated().map { c, v in v.map { $0 / Float(counts[c]) } } : pooled
    }
    func assertCodes(_ codes: SparseMatrix, equal reference: [[Float]]) {
      let dense = codes.toDense()
      var active = 0
      for c in 0..<captions {
        for j in 0..<dSAE {
          XCTAssertEqual(dense[c, j], reference[c][j], accuracy: 1e-4, "caption \(c), latent \(j)")
          if reference[c][j] > 0 { active += 1 }
        }
      }
      XCTAssertGreaterThan(active, captions, "the fixture must make latents fire")
    }
    assertCodes(codes, equal: expected(mean: false))

    try run("sae apply pooling=mean")
    assertCodes(try XCTUnwrap(interpreter.session.result(.codes, as: SparseMatrix.self)), equal: expected(mean: true))

    // The same command twice costs nothing; an edited file is read again.
    let encodes = interpreter.session.computeCounts[.encoder, default: 0]
    try run("activations load \(url("acts.npy").path) caption_index=\(url("index.npy").path)")
    XCTAssertEqual(interpreter.session.computeCounts[.encoder, default: 0], encodes)
    try NPY.write(randomMatrix(index.count, dIn, seed: 21), to: url("acts.npy"))
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 120)], ofItemAtPath: url("acts.npy").path)
    try run("activations load \(url("acts.npy").path) caption_index=\(url("index.npy").path)")
    XCTAssertEqual(interpreter.session.computeCounts[.encoder, default: 0], encodes + 1)
  }

  func testCaptionLevelActivationsAndOffsetsFromASafetensorsFile() throws {
    let acts = randomMatrix(captions, dIn, seed: 5)
    try NPY.write(acts, to: url("captions.npy"))
    let sae = try writeGemmaScope("params.npz", dIn: dIn)
    try run("load \(data.captionsPath)\nsae load \(url("params.npz").path)\nactivations load \(url("captions.npy").path)")
    let dense = try XCTUnwrap(interpreter.session.result(.codes, as: SparseMatrix.self)).toDense()
    let reference = jumpReLU(acts.storage[(4 * dIn)..<(5 * dIn)], sae)
    for j in 0..<dSAE { XCTAssertEqual(dense[4, j], reference[j], accuracy: 1e-4) }

    // Token rows with caption offsets inside a .safetensors, as `vista encode --tokens` writes them.
    let tokens = randomMatrix(2 * captions, dIn, seed: 6)
    try Safetensors.write([Tensor(name: "states", matrix: tokens),
                           Tensor(name: "caption_offsets", shape: [captions + 1], int64s: (0...captions).map { Int64(2 * $0) })],
                          to: url("tokens.safetensors"))
    try run("activations load \(url("tokens.safetensors").path)")
    let encoder = try XCTUnwrap(interpreter.session.result(.encoder, as: EncoderResult.self))
    XCTAssertEqual(encoder.tokenStates.rows, 2 * captions)
    XCTAssertEqual(encoder.captionOffsets, (0...captions).map { 2 * $0 })
    XCTAssertEqual(interpreter.session.result(.codes, as: SparseMatrix.self)?.rows, captions)

    // Token rows in a .npy with the `X.offsets.npy` sidecar `vista encode --tokens --out X.npy` writes.
    let sidecarOffsets = (0...captions).map { 3 * $0 }
    try NPY.write(randomMatrix(3 * captions, dIn, seed: 7), to: url("tokens.npy"))
    try NPY.write(Tensor(name: "caption_offsets", shape: [captions + 1], int64s: sidecarOffsets.map(Int64.init)),
                  to: ActivationsFile.offsetsSidecar(for: url("tokens.npy")))
    XCTAssertEqual(ActivationsFile.offsetsSidecar(for: url("tokens.npy")).lastPathComponent, "tokens.offsets.npy")
    try run("activations load \(url("tokens.npy").path)")
    let fromSidecar = try XCTUnwrap(interpreter.session.result(.encoder, as: EncoderResult.self))
    XCTAssertEqual(fromSidecar.tokenStates.rows, 3 * captions)
    XCTAssertEqual(fromSidecar.captionOffsets, sidecarOffsets)
    XCTAssertEqual(interpreter.session.result(.codes, as: SparseMatrix.self)?.rows, captions)
  }

  func testBadActivationsNameTheFileAndLeaveTheSessionAsItWas() throws {
    try NPY.write(randomMatrix(captions, dIn, seed: 5), to: url("good.npy"))
    try writeGemmaScope("params.npz", dIn: dIn)
    try run("load \(data.captionsPath)\nactivations load \(url("good.npy").path)\nsae load \(url("params.npz").path)\nselect latent=0 top=50%")
    // Every record as it was, state and timing included: a failed command must not re-run a stage
    // or leave a later one stale (the undo once re-ran each stage, which staled the selection).
    let before = Stage.allCases.map { interpreter.session.record($0) }
    func assertUnchanged(_ line: UInt = #line) {
      XCTAssertEqual(Stage.allCases.map { interpreter.session.record($0) }, before, line: line)
      XCTAssertTrue(interpreter.session.isFresh(.selection), line: line)
    }

    // d_in mismatch: both shapes and both files are named.
    try NPY.write(randomMatrix(captions, 9, seed: 5), to: url("wide.npy"))
    let mismatch = failure("activations load \(url("wide.npy").path)")
    for part in ["d_in", "params.npz", "wide.npy", "(12, 9)", "6 x 10"] { XCTAssertTrue(mismatch.contains(part), mismatch) }
    assertUnchanged()

    // NaN: the file and the row.
    var poisoned = randomMatrix(captions, dIn, seed: 5)
    poisoned[7, 2] = .nan
    try NPY.write(poisoned, to: url("nan.npy"))
    let nan = failure("activations load \(url("nan.npy").path)")
    XCTAssertTrue(nan.contains("nan.npy") && nan.contains("row 7"), nan)
    assertUnchanged()

    // Missing files, a truncated file, rows that do not match the captions, a bad caption index.
    XCTAssertTrue(failure("activations load \(url("absent.npy").path)").contains("no such activations file"))
    XCTAssertTrue(failure("activations load \(url("good.npy").path) caption_index=nope.npy").contains("no such caption index file: nope.npy"))
    let bytes = try Data(contentsOf: url("good.npy"))
    try bytes.prefix(bytes.count - 10).write(to: url("truncated.npy"))
    XCTAssertTrue(failure("activations load \(url("truncated.npy").path)").contains("truncated.npy"))
    try NPY.write(randomMatrix(captions + 1, dIn, seed: 5), to: url("extra.npy"))
    let rows = failure("activations load \(url("extra.npy").path)")
    XCTAssertTrue(rows.contains("13 rows") && rows.contains("12 captions") && rows.contains("caption_index"), rows)
    try NPY.write(Tensor(name: "i", shape: [captions + 1], int64s: (0...captions).map(Int64.init)), to: url("index.npy"))
    let index = failure("activations load \(url("extra.npy").path) caption_index=\(url("index.npy").path)")
    XCTAssertTrue(index.contains("index.npy") && index.contains("entry 12"), index)
    // The column points at the option that named the bad file, not at the verb.
    let column = "activations load \(url("extra.npy").path) caption_index=".count + 1
    XCTAssertTrue(index.contains("line 1, column \(column):"), index)
    XCTAssertTrue(failure("activations load \(data.folder.path)").contains("is a folder"))
    assertUnchanged()

    // With codes brought by `codes load`, the SAE is not applied, but a d_in mismatch is still reported.
    try run("codes load \(data.codesPath)")
    let withCodes = Stage.allCases.map { interpreter.session.record($0) }
    XCTAssertTrue(failure("activations load \(url("wide.npy").path)").contains("d_in mismatch"))
    XCTAssertEqual(Stage.allCases.map { interpreter.session.record($0) }, withCodes)
  }
}
