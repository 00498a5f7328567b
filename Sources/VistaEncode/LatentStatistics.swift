import VistaCore

/// Per-latent activation statistics over caption codes (captions x latents, CSR): what a researcher scans to pick a
/// latent (how often it fires, how strongly) and the column index that `select latent=N top=...` needs.
public struct LatentStatistics: Sendable {
  public let captionCount: Int
  public let latentCount: Int
  /// Strongest activation of each latent over all captions (0 if it never fires).
  public let maxActivation: [Float]
  /// Number of captions where each latent is non-zero.
  public let activeCount: [Int]
  /// Mean of the non-zero activations.
  public let meanActiveActivation: [Float]
  public let histogramBins: Int
  /// Captions activating each latent, strongest first, as (caption row, activation): the column index.
  let columns: [[(row: Int32, value: Float)]]

  /// Fraction of captions where each latent fires.
  public var frequency: [Float] { activeCount.map { Float($0) / Float(Swift.max(captionCount, 1)) } }

  public init(codes: SparseMatrix, histogramBins: Int = 20) {
    captionCount = codes.rows
    latentCount = codes.cols
    self.histogramBins = Swift.max(1, histogramBins)
    var columns = [[(row: Int32, value: Float)]](repeating: [], count: codes.cols)
    for r in 0..<codes.rows {
      for e in codes.rowPointers[r]..<codes.rowPointers[r + 1] {
        columns[Int(codes.columnIndices[e])].append((Int32(r), codes.values[e]))
      }
    }
    for j in 0..<columns.count { columns[j].sort { $0.value > $1.value || ($0.value == $1.value && $0.row < $1.row) } }
    self.columns = columns
    maxActivation = columns.map { $0.first.map { Swift.max($0.value, 0) } ?? 0 }
    activeCount = columns.map(\.count)
    meanActiveActivation = columns.map { $0.isEmpty ? 0 : $0.reduce(Float(0)) { $0 + $1.value } / Float($0.count) }
  }

  /// The `count` captions that activate `latent` most, strongest first.
  public func topCaptions(latent: Int, count: Int) -> [(row: Int, activation: Float)] {
    columns[latent].prefix(Swift.max(count, 0)).map { (Int($0.row), $0.value) }
  }

  /// Every caption where `latent` fires, strongest first.
  public func activatingCaptions(latent: Int) -> [(row: Int, activation: Float)] {
    topCaptions(latent: latent, count: columns[latent].count)
  }

  /// Counts of non-zero activations of `latent` in `histogramBins` equal bins over [0, max activation].
  public func histogram(latent: Int) -> (binEdges: [Float], counts: [Int]) {
    let top = maxActivation[latent]
    let edges = (0...histogramBins).map { Float($0) * top / Float(histogramBins) }
    var counts = [Int](repeating: 0, count: histogramBins)
    guard top > 0 else { return (edges, counts) }
    for entry in columns[latent] where entry.value > 0 {
      counts[Swift.min(histogramBins - 1, Int(entry.value / top * Float(histogramBins)))] += 1
    }
    return (edges, counts)
  }

  public enum Ranking: String, Sendable, CaseIterable { case frequency, maxActivation }

  /// Latent indices ordered by the ranking (highest first; ties by index), skipping latents that never fire.
  public func rankedLatents(by ranking: Ranking) -> [Int] {
    let live = (0..<latentCount).filter { activeCount[$0] > 0 }
    switch ranking {
    case .frequency: return live.sorted { activeCount[$0] > activeCount[$1] || (activeCount[$0] == activeCount[$1] && $0 < $1) }
    case .maxActivation: return live.sorted { maxActivation[$0] > maxActivation[$1] || (maxActivation[$0] == maxActivation[$1] && $0 < $1) }
    }
  }
}
