import Foundation
import VistaCore
import VistaTestSupport
import XCTest
@testable import VistaEncode

final class TopKTrainingTests: XCTestCase {
  /// Synthetic data with a known sparse structure: each row is a positive mix of 3 of 48 fixed unit directions in
  /// 24 dimensions plus an offset, so a 96-latent, k = 4 SAE can explain most of the variance.
  private func syntheticData(rows: Int, seed: UInt64) -> Matrix {
    var g = SeededGenerator(seed: seed)
    let d = 24, atoms = 48
    var dictionary = [Float](repeating: 0, count: atoms * d)
    for a in 0..<atoms {
      var norm: Float = 0
      for i in 0..<d { let v = Float(g.nextGaussian()); dictionary[a * d + i] = v; norm += v * v }
      for i in 0..<d { dictionary[a * d + i] /= norm.squareRoot() }
    }
    var m = Matrix(rows: rows, cols: d)
    for r in 0..<rows {
      for i in 0..<d { m.storage[r * d + i] = 0.5 }
      for _ in 0..<3 {
        let a = Int(g.next() % UInt64(atoms)), weight = 1 + 2 * g.nextUnitFloat()
        for i in 0..<d { m.storage[r * d + i] += weight * dictionary[a * d + i] }
      }
    }
    return m
  }

  private var options: TopKTrainingOptions {
    var o = TopKTrainingOptions(latents: 96, k: 4, epochs: 8, batchSize: 64, learningRate: 3e-3, seed: 11)
    o.deadAfterTokens = 1500
    o.resampleEverySteps = 20
    return o
  }

  func testTrainingReducesLossAndExplainsVariance() throws {
    let data = syntheticData(rows: 3000, seed: 5)
    let (sae, report) = try SparseAutoencoder.trainTopK(on: data, options: options)
    XCTAssertEqual(sae.architecture, .topK(4))
    XCTAssertEqual(sae.inputDimension, 24)
    XCTAssertEqual(sae.latentCount, 96)
    XCTAssertEqual(report.epochLosses.count, 8)
    XCTAssertLessThan(report.epochLosses.last!, report.epochLosses.first! * 0.7, "loss falls: \(report.epochLosses)")
    XCTAssertGreaterThan(report.fractionOfVarianceExplained, 0.8, "FVE \(report.fractionOfVarianceExplained), losses \(report.epochLosses), resampled \(report.resampledLatents), dead \(report.deadFraction)")
    XCTAssertLessThanOrEqual(report.meanL0, 4)
    XCTAssertGreaterThan(report.meanL0, 2)
    XCTAssertLessThan(report.deadFraction, 0.5)
    // Decoder rows stay unit-norm in training scale, i.e. equal norms 1/scale after export.
    let norms = (0..<96).map { j in (0..<24).reduce(Float(0)) { $0 + sae.decoderWeight[j, $1] * sae.decoderWeight[j, $1] }.squareRoot() }
    XCTAssertLessThan(norms.max()! - norms.min()!, 1e-4 * norms.max()!)
    // The report's FVE is what applying the exported SAE to raw data gives.
    let reconstruction = sae.decode(try sae.encode(data))
    var residual = 0.0, total = 0.0
    for c in 0..<24 {
      let mean = (0..<data.rows).reduce(0.0) { $0 + Double(data[$1, c]) } / Double(data.rows)
      for r in 0..<data.rows {
        residual += pow(Double(data[r, c] - reconstruction[r, c]), 2)
        total += pow(Double(data[r, c]) - mean, 2)
      }
    }
    XCTAssertEqual(1 - residual / total, report.fractionOfVarianceExplained, accuracy: 1e-4)
  }

  func testSameSeedSameSAE() throws {
    let data = syntheticData(rows: 600, seed: 9)
    var quick = options
    quick.epochs = 2
    let (a, _) = try SparseAutoencoder.trainTopK(on: data, options: quick)
    let (b, _) = try SparseAutoencoder.trainTopK(on: data, options: quick)
    XCTAssertEqual(a.encoderWeight, b.encoderWeight)
    XCTAssertEqual(a.decoderWeight, b.decoderWeight)
    quick.seed = 12
    let (c, _) = try SparseAutoencoder.trainTopK(on: data, options: quick)
    XCTAssertNotEqual(a.encoderWeight, c.encoderWeight)
  }

  func testTrainedSAERoundTripsThroughSAELensFolder() throws {
    let data = syntheticData(rows: 400, seed: 4)
    var quick = options
    quick.epochs = 1
    let (sae, _) = try SparseAutoencoder.trainTopK(on: data, options: quick)
    let dir = try Fixtures.temporaryDirectory().appendingPathComponent("trained")
    try sae.saveSAELens(directory: dir)
    let back = try SparseAutoencoder.load(dir)
    XCTAssertEqual(back.architecture, .topK(4))
    XCTAssertTrue(back.applyDecoderBiasToInput)
    XCTAssertEqual(back.metadata["seed"], "11")
    XCTAssertEqual(try back.encode(data), try sae.encode(data))
  }

  func testMaxTokensTrainsOnASeededSample() throws {
    let data = syntheticData(rows: 800, seed: 3)
    var limited = options
    limited.epochs = 1
    limited.maxTokens = 300
    let (a, report) = try SparseAutoencoder.trainTopK(on: data, options: limited)
    XCTAssertEqual(report.tokens, 300)
    let (b, _) = try SparseAutoencoder.trainTopK(on: data, options: limited)
    XCTAssertEqual(a.encoderWeight, b.encoderWeight)
    // A random sample, not the first rows: training on rows 0..<300 with the same seed gives another SAE.
    var unlimited = limited
    unlimited.maxTokens = nil
    let (prefix, _) = try SparseAutoencoder.trainTopK(on: data.selectingRows(Array(0..<300)), options: unlimited)
    XCTAssertNotEqual(a.encoderWeight, prefix.encoderWeight)
  }

  func testBadOptionsAndCancellation() throws {
    let data = syntheticData(rows: 50, seed: 1)
    assertVistaError(try SparseAutoencoder.trainTopK(on: data, options: TopKTrainingOptions(latents: 8, k: 9)), contains: ["k must be between"])
    var none = options
    none.maxTokens = 0
    assertVistaError(try SparseAutoencoder.trainTopK(on: data, options: none), contains: ["max tokens must be at least 1"])
    let progress = Progress()
    progress.cancel()
    XCTAssertThrowsError(try SparseAutoencoder.trainTopK(on: data, options: options, progress: progress)) {
      XCTAssertTrue($0 is VistaCore.CancellationError)
    }
  }
}
