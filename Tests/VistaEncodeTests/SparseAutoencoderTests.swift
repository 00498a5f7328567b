import Foundation
import VistaCore
import VistaData
import VistaTestSupport
import XCTest
@testable import VistaEncode

final class SparseAutoencoderTests: XCTestCase {
  /// d_in 2, d_sae 3, W_enc = [[1, 0, 1], [0, 1, 1]]: pre = (x0, x1, x0 + x1) + b_enc.
  private func handMade(_ architecture: SAEArchitecture, threshold: [Float]? = nil, applyBias: Bool = false) throws -> SparseAutoencoder {
    try SparseAutoencoder(
      architecture: architecture, encoderWeight: Matrix(rows: 2, cols: 3, storage: [1, 0, 1, 0, 1, 1]), encoderBias: [0, 0, -1],
      decoderWeight: Matrix(rows: 3, cols: 2, storage: [1, 0, 0, 1, 0.5, 0.5]), decoderBias: [1, 2], threshold: threshold,
      applyDecoderBiasToInput: applyBias)
  }

  func testHandMadeReLU() throws {
    let x = Matrix(rows: 2, cols: 2, storage: [2, -1, 0.5, 3])
    let codes = try handMade(.relu).encode(x)
    // Row 0: pre = (2, -1, 0) -> (2, 0, 0). Row 1: pre = (0.5, 3, 2.5).
    XCTAssertEqual(codes.toDense().storage, [2, 0, 0, 0.5, 3, 2.5])
    XCTAssertEqual(codes.rowPointers, [0, 1, 4])
    // With b_dec subtracted first: x - (1, 2) = (1, -3) and (-0.5, 1).
    XCTAssertEqual(try handMade(.relu, applyBias: true).encode(x).toDense().storage, [1, 0, 0, 0, 1, 0])
  }

  func testHandMadeJumpReLUAndTopK() throws {
    let x = Matrix(rows: 2, cols: 2, storage: [2, -1, 0.5, 3])
    let jump = try handMade(.jumpReLU, threshold: [1, 1, 2.5])
    // Row 1: pre (0.5, 3, 2.5): 0.5 <= 1 drops, 3 > 1 stays, 2.5 is not > 2.5.
    XCTAssertEqual(try jump.encode(x).toDense().storage, [2, 0, 0, 0, 3, 0])
    let top1 = try handMade(.topK(1))
    XCTAssertEqual(try top1.encode(x).toDense().storage, [2, 0, 0, 0, 3, 0])
    let top2 = try handMade(.topK(2))
    // Row 0: the two largest of (2, -1, 0) are 2 and 0; ReLU keeps only 2.
    XCTAssertEqual(try top2.encode(x).toDense().storage, [2, 0, 0, 0, 3, 2.5])
    let decoded = top2.decode(try top2.encode(x))
    XCTAssertEqual(decoded.storage, [3, 2, 1 + 1.25, 2 + 3 + 1.25])
  }

  func testShapeAndValueErrors() throws {
    let relu = try handMade(.relu)
    assertVistaError(try relu.encode(Matrix(rows: 1, cols: 3)), contains: ["3 columns", "d_in = 2"])
    assertVistaError(try relu.encode(Matrix(rows: 1, cols: 2, storage: [1, .nan])), contains: ["NaN", "row 0, column 1"])
    assertVistaError(try handMade(.jumpReLU), contains: ["threshold"])
    assertVistaError(try handMade(.topK(4)), contains: ["k must be in 1...3"])
  }

  private func fixtureCodesMatch(_ sae: SparseAutoencoder, expected name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let x = try NPY.read(Fixtures.url("sae/activations.npy")).matrix()
    let expected = try NPY.read(Fixtures.url("sae/expected_\(name).npy")).matrix()
    // A row block smaller than the input exercises the block loop.
    let codes = try sae.encode(x, rowBlock: 4)
    XCTAssertEqual(codes.rows, expected.rows, file: file, line: line)
    for (a, b) in zip(codes.toDense().storage, expected.storage) { XCTAssertEqual(a, b, accuracy: 1e-5, name, file: file, line: line) }
    XCTAssertGreaterThan(codes.nonZeroCount, 0, file: file, line: line)
    XCTAssertLessThan(codes.nonZeroCount, expected.storage.count, "codes are sparse", file: file, line: line)
  }

  func testGemmaScopeNPZMatchesNumpy() throws {
    let sae = try SparseAutoencoder.load(Fixtures.url("sae/gemma_scope/params.npz"))
    XCTAssertEqual(sae.architecture, .jumpReLU)
    XCTAssertFalse(sae.applyDecoderBiasToInput)
    XCTAssertEqual(sae.inputDimension, 6)
    XCTAssertEqual(sae.latentCount, 10)
    try fixtureCodesMatch(sae, expected: "gemma_scope")
    try fixtureCodesMatch(try SparseAutoencoder.load(Fixtures.url("sae/gemma_scope2/params.npz")), expected: "gemma_scope")
  }

  func testSAELensFoldersMatchNumpy() throws {
    let relu = try SparseAutoencoder.load(Fixtures.url("sae/saelens_relu"))
    XCTAssertEqual(relu.architecture, .relu)
    XCTAssertTrue(relu.applyDecoderBiasToInput)
    XCTAssertEqual(relu.metadata["hook_name"], "blocks.0.hook_resid_post")
    try fixtureCodesMatch(relu, expected: "saelens_relu")
    let topk = try SparseAutoencoder.load(Fixtures.url("sae/saelens_topk/sae_weights.safetensors"))
    XCTAssertEqual(topk.architecture, .topK(3))
    try fixtureCodesMatch(topk, expected: "saelens_topk")
    try fixtureCodesMatch(try SparseAutoencoder.load(Fixtures.url("sae/saelens_jumprelu")), expected: "saelens_jumprelu")
  }

  func testTensorInputStreamsFromFile() throws {
    let sae = try SparseAutoencoder.load(Fixtures.url("sae/gemma_scope/params.npz"))
    let tensor = try NPY.read(Fixtures.url("sae/activations.npy"))
    let fromTensor = try sae.encode(tensor, rowBlock: 2)
    let fromMatrix = try sae.encode(try tensor.matrix())
    XCTAssertEqual(fromTensor, fromMatrix)
    assertVistaError(try SparseAutoencoder.load(Fixtures.url("sae/saelens_relu")).encode(Tensor(name: "x", shape: [2, 5], floats: Array(repeating: 0, count: 10))),
                     contains: ["5 columns", "d_in = 6"])
  }

  func testSAELensRoundTrip() throws {
    let dir = try Fixtures.temporaryDirectory()
    for name in ["saelens_relu", "saelens_topk", "saelens_jumprelu"] {
      let original = try SparseAutoencoder.load(Fixtures.url("sae/\(name)"))
      let target = dir.appendingPathComponent(name)
      try original.saveSAELens(directory: target)
      let back = try SparseAutoencoder.load(target)
      XCTAssertEqual(back.architecture, original.architecture, name)
      XCTAssertEqual(back.encoderWeight, original.encoderWeight, name)
      XCTAssertEqual(back.decoderWeight, original.decoderWeight, name)
      XCTAssertEqual(back.decoderBias, original.decoderBias, name)
      XCTAssertEqual(back.threshold, original.threshold, name)
      XCTAssertEqual(back.applyDecoderBiasToInput, original.applyDecoderBiasToInput, name)
    }
    assertVistaError(try SparseAutoencoder.load(dir.appendingPathComponent("nothing")), contains: ["does not exist"])
    assertVistaError(try SparseAutoencoder.load(dir), contains: ["cfg.json is missing"])
  }
}
