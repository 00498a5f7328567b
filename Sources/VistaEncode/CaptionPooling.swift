import VistaCore

/// How token codes become one code vector per caption.
public enum CaptionPooling: String, Sendable, CaseIterable {
  /// Per latent, the strongest activation over the caption's tokens (the default: a caption "has" a feature
  /// if any token has it).
  case max
  /// Per latent, the sum over tokens divided by the caption's token count.
  case mean
  /// Per latent, the sum over tokens.
  case sum

  /// Pools token codes (tokens x latents, CSR) into caption codes (captions x latents, CSR): caption i owns token
  /// rows `captionOffsets[i]..<captionOffsets[i+1]` (as in `TokenStates`). A caption without tokens gets an empty row.
  public func pool(_ tokenCodes: SparseMatrix, captionOffsets: [Int]) throws -> SparseMatrix {
    guard let last = captionOffsets.last, last == tokenCodes.rows, captionOffsets.first == 0 else {
      throw VistaError("caption offsets cover \(captionOffsets.last ?? 0) token rows, the codes have \(tokenCodes.rows)", at: "pooling")
    }
    let captions = captionOffsets.count - 1
    var accumulator = [Float](repeating: 0, count: tokenCodes.cols)
    var seen = [Bool](repeating: false, count: tokenCodes.cols)
    var active: [Int32] = []
    var pointers = [0]
    pointers.reserveCapacity(captions + 1)
    var indices: [Int32] = []
    var values: [Float] = []
    for c in 0..<captions {
      let tokenRange = captionOffsets[c]..<captionOffsets[c + 1]
      guard tokenRange.lowerBound <= tokenRange.upperBound else {
        throw VistaError("caption offsets decrease at caption \(c)", at: "pooling")
      }
      for t in tokenRange {
        for e in tokenCodes.rowPointers[t]..<tokenCodes.rowPointers[t + 1] {
          let j = Int(tokenCodes.columnIndices[e]), v = tokenCodes.values[e]
          if !seen[j] {
            seen[j] = true
            active.append(Int32(j))
            accumulator[j] = v
          } else if self == .max {
            accumulator[j] = Swift.max(accumulator[j], v)
          } else {
            accumulator[j] += v
          }
        }
      }
      active.sort()
      let divisor = self == .mean ? Float(Swift.max(tokenRange.count, 1)) : 1
      for j in active {
        let v = accumulator[Int(j)] / divisor
        if v != 0 { indices.append(j); values.append(v) }
        seen[Int(j)] = false
        accumulator[Int(j)] = 0
      }
      active.removeAll(keepingCapacity: true)
      pointers.append(indices.count)
    }
    return SparseMatrix(rows: captions, cols: tokenCodes.cols, rowPointers: pointers, columnIndices: indices, values: values)
  }
}
