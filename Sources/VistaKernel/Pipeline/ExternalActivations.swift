import Foundation
import VistaCore
import VistaData

/// Activations computed elsewhere (`activations load PATH`), in place of the MiniLM encoder's output.
///
/// A researcher's activations are either one row per token (then something must say which caption each token
/// belongs to: a per-token caption index, caption offsets, or the offsets `vista encode --tokens` writes: a
/// `caption_offsets` tensor or an `X.offsets.npy` sidecar) or one row per caption. Both become an `EncoderResult`
/// whose token rows are grouped by caption, so `sae load`/`sae apply pooling=…`/`sae train` work on them exactly
/// as on MiniLM states.
/// `vista sae apply`/`vista sae train` read their activations file with the same `ActivationsFile.read`.
public enum ExternalActivations {
  /// How the rows of the activations file relate to the captions.
  enum RowKind: String { case tokens, captions }

  /// Reads `path` (.npy, or a tensor of a .safetensors) for a dataset of `captionCount` captions.
  /// - Parameters:
  ///   - captionIndex: a 1-D integer .npy giving, per token row, its caption (0-based); rows may be in any order.
  ///   - offsets: a 1-D integer .npy of captions + 1 boundaries (caption i owns rows offsets[i]..<offsets[i+1]).
  ///   - rows: `tokens` or `captions`; nil infers it (an index/offsets given: tokens; else rows == captions).
  static func load(path: String, captionCount: Int, captionIndex: String? = nil, offsets: String? = nil,
                   rows: RowKind? = nil, tensor tensorName: String? = nil) throws -> EncoderResult {
    let name = (path as NSString).lastPathComponent
    // Before reading what may be gigabytes (the command checks it too, to point at the option).
    if rows == .captions, captionIndex != nil || offsets != nil {
      throw VistaError("rows=captions takes no caption_index or offsets (one row per caption)", at: "option rows")
    }
    let (tensor, embeddedOffsets, embeddedOrigin) = try ActivationsFile.read(path, tensor: tensorName, option: "tensor")
    guard tensor.shape.count == 2, tensor.shape[0] > 0, tensor.shape[1] > 0 else {
      throw VistaError("expected activations of shape (rows, d_in), found \(tensor.shapeText)", at: name)
    }
    let rowCount = tensor.shape[0], width = tensor.shape[1]
    var states = Matrix(rows: rowCount, cols: width)
    try states.storage.withUnsafeMutableBufferPointer { try tensor.copyRows(0..<rowCount, into: $0.baseAddress!) }  // refuses NaN/Inf by row and column

    let kind = rows ?? ((captionIndex != nil || offsets != nil || embeddedOffsets != nil) ? .tokens : .captions)
    switch kind {
    case .captions:
      guard rowCount == captionCount else {
        let hint = rows == nil ? "; for token-level activations give caption_index=PATH (the caption of each token row)" : ""
        throw VistaError("the activations have \(rowCount) rows (shape \(tensor.shapeText)) but the dataset has \(captionCount) captions\(hint)",
                         at: name)
      }
      return EncoderResult(embeddings: states, tokenStates: states, captionOffsets: Array(0...rowCount),
                           tokenIds: [Int32](repeating: -1, count: rowCount), layer: -1, source: path)
    case .tokens:
      let grouped: (states: Matrix, offsets: [Int])
      if let captionIndex {
        let index = try readIntegers(captionIndex)
        guard index.count == rowCount else {
          throw VistaError("the caption index has \(index.count) entries but the activations (\(name)) have \(rowCount) rows",
                           at: (captionIndex as NSString).lastPathComponent)
        }
        grouped = try group(states, byCaption: index, captionCount: captionCount, indexName: (captionIndex as NSString).lastPathComponent)
      } else if let list = try offsets.map(readIntegers) ?? embeddedOffsets {
        let origin = offsets.map { ($0 as NSString).lastPathComponent } ?? embeddedOrigin
        try check(offsets: list, rowCount: rowCount, captionCount: captionCount, origin: origin)
        grouped = (states, list)
      } else {
        throw VistaError("token-level activations need caption_index=PATH (an integer .npy: the caption of each token row) or offsets=PATH",
                         at: name)
      }
      return EncoderResult(embeddings: meanPerCaption(grouped.states, offsets: grouped.offsets), tokenStates: grouped.states,
                           captionOffsets: grouped.offsets, tokenIds: [Int32](repeating: -1, count: rowCount), layer: -1, source: path)
    }
  }

  static func readIntegers(_ path: String) throws -> [Int] {
    guard FileManager.default.fileExists(atPath: path) else { throw VistaError("no such file", at: path) }
    let tensor = try NPY.read(URL(fileURLWithPath: path))
    guard tensor.shape.count == 1 else {
      throw VistaError("expected a 1-D integer array, found shape \(tensor.shapeText)", at: (path as NSString).lastPathComponent)
    }
    return try tensor.integers()
  }

  static func check(offsets: [Int], rowCount: Int, captionCount: Int, origin: String) throws {
    guard offsets.count == captionCount + 1 else {
      throw VistaError("expected \(captionCount + 1) caption offsets (captions + 1), found \(offsets.count)", at: origin)
    }
    guard offsets.first == 0, offsets.last == rowCount else {
      throw VistaError("caption offsets must run from 0 to the \(rowCount) token rows, found \(offsets.first ?? 0)…\(offsets.last ?? 0)", at: origin)
    }
    if let bad = (1..<offsets.count).first(where: { offsets[$0] < offsets[$0 - 1] }) {
      throw VistaError("caption offsets decrease at entry \(bad) (\(offsets[bad - 1]) then \(offsets[bad]))", at: origin)
    }
  }

  /// Token rows reordered so each caption's rows are contiguous (a stable counting sort), with their offsets.
  static func group(_ states: Matrix, byCaption index: [Int], captionCount: Int, indexName: String) throws -> (states: Matrix, offsets: [Int]) {
    var counts = [Int](repeating: 0, count: captionCount + 1)
    for (row, caption) in index.enumerated() {
      guard caption >= 0, caption < captionCount else {
        throw VistaError("entry \(row) names caption \(caption), but the dataset has captions 0..<\(captionCount)", at: indexName)
      }
      counts[caption + 1] += 1
    }
    for c in 0..<captionCount { counts[c + 1] += counts[c] }
    let offsets = counts
    if zip(index, index.dropFirst()).allSatisfy({ $0 <= $1 }) { return (states, offsets) }
    var next = offsets
    var storage = [Float](repeating: 0, count: states.storage.count)
    let width = states.cols
    states.storage.withUnsafeBufferPointer { src in
      storage.withUnsafeMutableBufferPointer { dst in
        for (row, caption) in index.enumerated() {
          let target = next[caption]
          next[caption] += 1
          (dst.baseAddress! + target * width).update(from: src.baseAddress! + row * width, count: width)
        }
      }
    }
    return (Matrix(rows: states.rows, cols: width, storage: storage), offsets)
  }

  /// Per caption, the mean of its token rows (the "sentence" vector of `sae apply source=sentences`).
  static func meanPerCaption(_ states: Matrix, offsets: [Int]) -> Matrix {
    let captions = offsets.count - 1, width = states.cols
    var storage = [Float](repeating: 0, count: captions * width)
    states.storage.withUnsafeBufferPointer { src in
      storage.withUnsafeMutableBufferPointer { dst in
        for c in 0..<captions where offsets[c + 1] > offsets[c] {
          let out = dst.baseAddress! + c * width
          for t in offsets[c]..<offsets[c + 1] {
            let row = src.baseAddress! + t * width
            for j in 0..<width { out[j] += row[j] }
          }
          let scale = 1 / Float(offsets[c + 1] - offsets[c])
          for j in 0..<width { out[j] *= scale }
        }
      }
    }
    return Matrix(rows: captions, cols: width, storage: storage)
  }
}
