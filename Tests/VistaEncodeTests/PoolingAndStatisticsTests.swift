import VistaCore
import VistaTestSupport
import XCTest
@testable import VistaEncode

final class PoolingAndStatisticsTests: XCTestCase {
  /// 5 tokens x 4 latents; caption 0 = tokens 0..<2, caption 1 = no tokens, caption 2 = tokens 2..<5.
  private let tokens = SparseMatrix(dense: Matrix(rows: 5, cols: 4, storage: [
    1, 0, 2, 0,
    3, 0, 0, 0,
    0, 0, 0, 4,
    0, 5, 0, 1,
    2, 0, 0, 0,
  ]))
  private let offsets = [0, 2, 2, 5]

  func testMaxMeanSumPooling() throws {
    XCTAssertEqual(try CaptionPooling.max.pool(tokens, captionOffsets: offsets).toDense().storage, [3, 0, 2, 0, 0, 0, 0, 0, 2, 5, 0, 4])
    XCTAssertEqual(try CaptionPooling.sum.pool(tokens, captionOffsets: offsets).toDense().storage, [4, 0, 2, 0, 0, 0, 0, 0, 2, 5, 0, 5])
    let mean = try CaptionPooling.mean.pool(tokens, captionOffsets: offsets).toDense().storage
    XCTAssertEqual(mean, [2, 0, 1, 0, 0, 0, 0, 0, 2.0 / 3, 5.0 / 3, 0, 5.0 / 3])
    assertVistaError(try CaptionPooling.max.pool(tokens, captionOffsets: [0, 4]), contains: ["cover 4 token rows", "have 5"])
  }

  func testLatentStatistics() throws {
    let captions = try CaptionPooling.max.pool(tokens, captionOffsets: [0, 1, 2, 3, 4, 5])
    let stats = LatentStatistics(codes: captions, histogramBins: 3)
    XCTAssertEqual(stats.activeCount, [3, 1, 1, 2])
    XCTAssertEqual(stats.maxActivation, [3, 5, 2, 4])
    XCTAssertEqual(stats.frequency, [0.6, 0.2, 0.2, 0.4])
    XCTAssertEqual(stats.meanActiveActivation[0], 2)
    XCTAssertEqual(stats.topCaptions(latent: 0, count: 2).map(\.row), [1, 4])
    XCTAssertEqual(stats.activatingCaptions(latent: 3).map(\.activation), [4, 1])
    let histogram = stats.histogram(latent: 0)
    XCTAssertEqual(histogram.binEdges, [0, 1, 2, 3])
    XCTAssertEqual(histogram.counts, [0, 1, 2])  // 1 -> bin 1, 2 -> bin 2, 3 (the max) -> last bin
    XCTAssertEqual(stats.rankedLatents(by: .frequency), [0, 3, 1, 2])
    XCTAssertEqual(stats.rankedLatents(by: .maxActivation), [1, 3, 0, 2])
  }
}
