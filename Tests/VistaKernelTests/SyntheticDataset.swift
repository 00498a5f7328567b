import Foundation
import VistaCore
import VistaData

/// A small dataset with known structure, written to a temporary folder: captions in a TSV with a
/// `group` column, and caption codes (CSR .npz) where latent 0 is active everywhere with a strength
/// that grows along each group, and latents 1…groups mark the groups.
struct SyntheticDataset {
  let folder: URL
  let captionsPath: String
  let codesPath: String
  let count: Int
  let groups: Int
  static let words = ["apple", "river", "violin", "falcon", "granite", "lantern"]

  init(count: Int = 240, groups: Int = 4, latents: Int = 24, seed: UInt64 = 5) throws {
    self.count = count
    self.groups = groups
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("vista-h5-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var rng = SeededGenerator(seed: seed)
    var tsv = "id\tcaption\tgroup\n"
    var dense = Matrix(rows: count, cols: latents)
    for i in 0..<count {
      let g = i % groups
      let word = Self.words[g % Self.words.count]
      tsv += "c\(i)\ta \(word) picture number \(i)\tg\(g)\n"
      dense[i, 0] = 0.2 + Float(i / groups) / Float(count / groups) + rng.nextUnitFloat() * 0.05
      dense[i, 1 + g] = 1 + rng.nextUnitFloat() * 0.3
      for _ in 0..<3 { dense[i, 1 + groups + Int(rng.next() % UInt64(latents - 1 - groups))] = rng.nextUnitFloat() * 0.4 }
    }
    captionsPath = folder.appendingPathComponent("captions.tsv").path
    codesPath = folder.appendingPathComponent("codes.npz").path
    try Data(tsv.utf8).write(to: URL(fileURLWithPath: captionsPath))
    try SparseMatrixIO.write(SparseMatrix(dense: dense), to: URL(fileURLWithPath: codesPath))
  }

  func remove() { try? FileManager.default.removeItem(at: folder) }
}
