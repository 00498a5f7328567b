import Foundation
import VistaCore
import VistaData

/// The caption codes: one row per caption, one column per latent (CSR). Either the SAE applied to the
/// encoder's token states and pooled per caption, or codes the researcher brings (`codes load PATH`).
enum CodesStage {
  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> SparseMatrix {
    let p = ParameterReader(parameters, .codes)
    let captions = try session.require(.dataset, as: CaptionSet.self)
    let codes: SparseMatrix
    if let path = p.string("path") {
      codes = try read(path)
    } else {
      codes = try RepresentationStages.applySAE(session, pooling: p.string("pooling", default: "max"),
                                                source: p.string("source", default: "tokens"), progress: progress)
    }
    guard codes.rows == captions.count else {
      throw VistaError("the codes have \(codes.rows) rows but the dataset has \(captions.count) captions",
                       at: p.string("path") ?? "codes")
    }
    if let bad = codes.values.firstIndex(where: { !$0.isFinite }) {
      // The row owning stored entry `bad`: the last row whose first entry is at or before it.
      let row = codes.rowPointers.lastIndex { $0 <= bad } ?? 0
      let origin = p.string("path").map { ($0 as NSString).lastPathComponent } ?? "codes"
      throw VistaError("the codes hold \(codes.values[bad].isNaN ? "NaN" : "Inf") at row \(min(row, codes.rows - 1)), latent \(codes.columnIndices[bad]); codes must be finite",
                       at: origin)
    }
    return codes
  }

  /// Reads codes from a CSR file (.npz as scipy writes it, .safetensors) or a dense .npy (captions x latents).
  static func read(_ path: String) throws -> SparseMatrix {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: path) else { throw VistaError("no such file", at: path) }
    if url.pathExtension.lowercased() == "npy" {
      return SparseMatrix(dense: try NPY.read(url).matrix())
    }
    return try SparseMatrixIO.read(url)
  }
}
