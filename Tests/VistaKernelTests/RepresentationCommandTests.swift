import JupyterKernel
import VistaCore
import VistaEncode
import XCTest
@testable import VistaKernel

/// `encode`, `sae train`, `sae apply`, `sae info`, `latents` with the real MiniLM on a few captions.
/// Needs the MiniLM weights (fetched at set-up); skipped with a message when they are absent.
final class RepresentationCommandTests: XCTestCase {
  func testEncodeTrainApplyAndListLatents() throws {
    guard (try? MiniLM.locate()) != nil else { throw XCTSkip("MiniLM weights not installed (see scripts/fetch-minilm.sh)") }
    let data = try SyntheticDataset(count: 48, groups: 4)
    defer { data.remove() }
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    func run(_ code: String) throws -> RecordingContext {
      let ctx = RecordingContext()
      _ = try interpreter.execute(code: code, silent: false, context: ctx)
      return ctx
    }
    let encoded = try run("load \(data.captionsPath)\nencode layer=6")
    XCTAssertTrue(encoded.displays.last?.string("text/plain")?.contains("hidden size") ?? false)
    let encoder = try XCTUnwrap(interpreter.session.result(.encoder, as: EncoderResult.self))
    XCTAssertEqual(encoder.embeddings.rows, 48)
    XCTAssertEqual(encoder.tokenStates.cols, 384)

    let trained = try run("sae train latents=64 k=4 epochs=3 batch=64 seed=2")
    let info = try XCTUnwrap(trained.displays.last?.string("text/plain"))
    XCTAssertTrue(info.contains("fraction of variance explained"), info)
    let codes = try XCTUnwrap(interpreter.session.result(.codes, as: SparseMatrix.self))
    XCTAssertEqual(codes.rows, 48)
    XCTAssertEqual(codes.cols, 64)
    XCTAssertEqual(interpreter.session.record(.codes)?.command, "sae apply pooling=max source=tokens")

    let latents = try run("latents top=5")
    let table = try XCTUnwrap(latents.displays.last?.string("text/plain"))
    XCTAssertEqual(table.split(separator: "\n").count, 3 + 5 + 1)
    // The most frequent latent can be selected.
    let stats = LatentStatistics(codes: codes)
    let first = stats.rankedLatents(by: .frequency)[0]
    _ = try run("select latent=\(first) top=10")
    XCTAssertEqual(interpreter.session.result(.selection, as: LatentSelection.self)?.count, 10)

    // Mean pooling changes the codes; the selection becomes stale.
    _ = try run("sae apply pooling=mean")
    XCTAssertEqual(interpreter.session.record(.selection)?.state, .stale)

    // An SAE that does not fit the encoder fails at `sae apply`; the whole `sae load` is undone.
    let saeBefore = interpreter.session.record(.sae)
    let codesBefore = interpreter.session.record(.codes)
    let wrong = data.folder.appendingPathComponent("wrong-sae")
    let tiny = try SparseAutoencoder(architecture: .relu, encoderWeight: Matrix(rows: 8, cols: 4), encoderBias: [0, 0, 0, 0],
                                     decoderWeight: Matrix(rows: 4, cols: 8), decoderBias: [Float](repeating: 0, count: 8),
                                     applyDecoderBiasToInput: false)
    try tiny.saveSAELens(directory: wrong)
    XCTAssertThrowsError(try run("sae load \(wrong.path)")) { error in
      XCTAssertTrue((error as? ExecutionError)?.value.contains("8-dimensional") ?? false, "\(error)")
    }
    XCTAssertEqual(interpreter.session.record(.sae)?.fingerprint, saeBefore?.fingerprint)
    XCTAssertEqual(interpreter.session.record(.codes)?.fingerprint, codesBefore?.fingerprint)
    XCTAssertEqual(interpreter.session.result(.sae, as: SAEResult.self)?.sae.latentCount, 64)

    // An SAE trained on sentence embeddings gives one code row per caption without pooling.
    _ = try run("sae train latents=32 k=4 epochs=2 batch=16 on=sentences")
    XCTAssertEqual(interpreter.session.record(.codes)?.parameters.values["source"], "sentences")
    XCTAssertEqual(interpreter.session.result(.codes, as: SparseMatrix.self)?.rows, 48)
    XCTAssertEqual(interpreter.session.result(.codes, as: SparseMatrix.self)?.cols, 32)
  }

  func testTrainingBeforeEncodingSaysWhatToRun() throws {
    let data = try SyntheticDataset(count: 12, groups: 2)
    defer { data.remove() }
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    let ctx = RecordingContext()
    _ = try interpreter.execute(code: "load \(data.captionsPath)", silent: false, context: ctx)
    XCTAssertThrowsError(try interpreter.execute(code: "sae train", silent: false, context: ctx)) { error in
      let e = error as? ExecutionError
      XCTAssertEqual(e?.name, "StageNotReady")
      XCTAssertTrue(e?.value.contains("encode") ?? false)
    }
  }
}
