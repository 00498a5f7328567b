import Foundation
import VistaCore
import VistaData
import VistaTestSupport
import XCTest
@testable import VistaEncode

/// Agreement with the real sentence-transformers output (fixtures from tools/make-minilm-fixtures.py).
final class MiniLMAgreementTests: XCTestCase {
  private func sentences() throws -> [String] {
    try JSONDecoder().decode([String].self, from: Data(contentsOf: Fixtures.url("minilm/sentences.json")))
  }

  func testTokenIdsMatchSentenceTransformers() throws {
    let model = try Fixtures.miniLM()
    let texts = try sentences()
    let expected = try JSONDecoder().decode([[Int32]].self, from: Data(contentsOf: Fixtures.url("minilm/token_ids.json")))
    XCTAssertGreaterThanOrEqual(texts.count, 50)
    for (i, text) in texts.enumerated() {
      XCTAssertEqual(model.tokenizer.encode(text), expected[i], "sentence \(i): \(text.prefix(60))")
    }
  }

  func testSentenceEmbeddingsMatchWithinCosine0_9999() throws {
    let model = try Fixtures.miniLM()
    let texts = try sentences()
    let reference = try NPY.read(Fixtures.url("minilm/embeddings.npy")).matrix(expectedColumns: 384)
    // A small batch budget forces several packed batches.
    let ours = try model.encode(texts, tokensPerBatch: 300)
    XCTAssertEqual(ours.rows, texts.count)
    var worst = 1.0
    for i in 0..<texts.count {
      let c = cosine(ours.storage[(i * 384)..<((i + 1) * 384)], reference.storage[(i * 384)..<((i + 1) * 384)])
      worst = min(worst, c)
      XCTAssertGreaterThanOrEqual(c, 0.9999, "sentence \(i): \(texts[i].prefix(60))")
    }
    print("MiniLM agreement: worst cosine \(worst) over \(texts.count) sentences")
  }

  func testBatchingDoesNotChangeResults() throws {
    let model = try Fixtures.miniLM()
    let texts = Array(try sentences().prefix(12))
    let one = try model.encode(texts, tokensPerBatch: 1)
    let all = try model.encode(texts, tokensPerBatch: 100_000)
    for (a, b) in zip(one.storage, all.storage) { XCTAssertEqual(a, b, accuracy: 1e-5) }
  }

  func testTokenStatesMatchHiddenStates() throws {
    let model = try Fixtures.miniLM()
    let texts = Array(try sentences().prefix(3))
    let reference = try NPZ.read(Fixtures.url("minilm/hidden_states.npz"))
    for layer in [0, 3, 6] {
      let states = try model.tokenStates(texts, layer: layer, includeSpecialTokens: true)
      XCTAssertEqual(states.layer, layer)
      for i in 0..<texts.count {
        let expected = try XCTUnwrap(reference.first { $0.name == "s\(i)_layer\(layer)" }).matrix(expectedColumns: 384)
        let rows = states.rows(ofCaption: i)
        XCTAssertEqual(rows.count, expected.rows)
        var maxDiff: Float = 0
        for (a, b) in zip(states.states.storage[(rows.lowerBound * 384)..<(rows.upperBound * 384)], expected.storage) { maxDiff = max(maxDiff, abs(a - b)) }
        XCTAssertLessThan(maxDiff, 2e-3, "layer \(layer) sentence \(i)")
      }
    }
    let withoutSpecial = try model.tokenStates(texts, includeSpecialTokens: false)
    XCTAssertEqual(withoutSpecial.rows(ofCaption: 0).count, 0, "the empty string has only [CLS] [SEP]")
    XCTAssertEqual(withoutSpecial.rows(ofCaption: 2).count, model.tokenizer.encode(texts[2]).count - 2)
    XCTAssertFalse(withoutSpecial.tokenIds.contains(model.tokenizer.classifierId))
  }

  func testLayerOutOfRangeAndCancellation() throws {
    let model = try Fixtures.miniLM()
    assertVistaError(try model.tokenStates(["x"], layer: 7), contains: ["layer 7", "0 (embeddings) to 6"])
    let progress = Progress()
    progress.cancel()
    XCTAssertThrowsError(try model.encode(["a", "b"], progress: progress)) { XCTAssertTrue($0 is VistaCore.CancellationError) }
  }

  func testLocateExplainsHowToFetch() {
    assertVistaError(try MiniLM.locate(environment: ["VISTA_HOME": "/nonexistent/vista", "VISTA_MODEL_DIR": "/nonexistent/model"]),
                     contains: ["scripts/fetch-minilm.sh", "/nonexistent/model", "/nonexistent/vista/models/all-MiniLM-L6-v2"])
  }
}
