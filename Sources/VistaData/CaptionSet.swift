/// The dataset VISTA maps: one caption per item, a stable id, and any extra columns kept as metadata
/// (to colour and filter maps later).
public struct CaptionSet: Sendable, Equatable {
  /// One id per caption (the id column, or the 1-based row number when the file has none).
  public var ids: [String]
  public var texts: [String]
  /// Extra columns by name; every array has `texts.count` entries.
  public var metadata: [String: [String]]
  /// Where the captions came from ("demo", a file name, "wordnet"), shown in tables and cache keys.
  public var source: String

  public init(ids: [String], texts: [String], metadata: [String: [String]] = [:], source: String) {
    precondition(ids.count == texts.count, "ids and texts differ in length")
    for (name, column) in metadata {
      precondition(column.count == texts.count, "metadata column \(name) has \(column.count) values, expected \(texts.count)")
    }
    self.ids = ids
    self.texts = texts
    self.metadata = metadata
    self.source = source
  }

  public var count: Int { texts.count }
  public var isEmpty: Bool { texts.isEmpty }

  /// Metadata column names, sorted, for stable listings.
  public var metadataColumns: [String] { metadata.keys.sorted() }

  /// The captions at `indices`, in that order, with their ids and metadata.
  public func selecting(_ indices: [Int]) -> CaptionSet {
    CaptionSet(
      ids: indices.map { ids[$0] }, texts: indices.map { texts[$0] },
      metadata: metadata.mapValues { column in indices.map { column[$0] } }, source: source)
  }

  /// The first `n` captions (all when `n >= count`): quick runs on a large set.
  public func prefix(_ n: Int) -> CaptionSet { selecting(Array(0..<min(max(n, 0), count))) }
}
