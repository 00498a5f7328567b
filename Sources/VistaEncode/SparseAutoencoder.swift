import COpenBLAS
import Foundation
import VistaCore
import VistaData

/// How an SAE turns pre-activations into codes.
public enum SAEArchitecture: Sendable, Equatable, CustomStringConvertible {
  /// ReLU (SAELens "standard").
  case relu
  /// (pre > threshold) * ReLU(pre), per-latent thresholds (Gemma Scope).
  case jumpReLU
  /// The k largest ReLU'd pre-activations per row, the rest zero.
  case topK(Int)

  public var description: String {
    switch self {
    case .relu: return "relu"
    case .jumpReLU: return "jumprelu"
    case .topK(let k): return "topk(k=\(k))"
    }
  }
}

/// A sparse autoencoder: codes = act((x - b_dec?) W_enc + b_enc), reconstruction = codes W_dec + b_dec.
///
/// Shapes follow SAELens and Gemma Scope: `encoderWeight` is d_in x d_sae, `decoderWeight` d_sae x d_in.
public struct SparseAutoencoder: Sendable {
  public var architecture: SAEArchitecture
  public var encoderWeight: Matrix
  public var encoderBias: [Float]
  public var decoderWeight: Matrix
  public var decoderBias: [Float]
  /// Per-latent thresholds, JumpReLU only.
  public var threshold: [Float]?
  /// Subtract b_dec from the input before encoding (SAELens `apply_b_dec_to_input`; false for Gemma Scope).
  public var applyDecoderBiasToInput: Bool
  /// Free-form provenance written to cfg.json (model_name, hook_name, layer, source ...).
  public var metadata: [String: String]

  public var inputDimension: Int { encoderWeight.rows }
  public var latentCount: Int { encoderWeight.cols }

  public init(architecture: SAEArchitecture, encoderWeight: Matrix, encoderBias: [Float], decoderWeight: Matrix, decoderBias: [Float],
              threshold: [Float]? = nil, applyDecoderBiasToInput: Bool, metadata: [String: String] = [:]) throws {
    let dIn = encoderWeight.rows, dSAE = encoderWeight.cols
    func check(_ ok: Bool, _ what: String) throws { if !ok { throw VistaError("shape mismatch: \(what) (d_in \(dIn), d_sae \(dSAE))", at: "SAE") } }
    try check(encoderBias.count == dSAE, "b_enc has \(encoderBias.count) values")
    try check(decoderWeight.rows == dSAE && decoderWeight.cols == dIn, "W_dec is \(decoderWeight.rows) x \(decoderWeight.cols)")
    try check(decoderBias.count == dIn, "b_dec has \(decoderBias.count) values")
    if case .jumpReLU = architecture {
      try check(threshold?.count == dSAE, "JumpReLU needs a threshold per latent, found \(threshold?.count ?? 0)")
    }
    if case .topK(let k) = architecture, k < 1 || k > dSAE {
      throw VistaError("k must be in 1...\(dSAE), found \(k)", at: "SAE")
    }
    self.architecture = architecture
    self.encoderWeight = encoderWeight
    self.encoderBias = encoderBias
    self.decoderWeight = decoderWeight
    self.decoderBias = decoderBias
    self.threshold = threshold
    self.applyDecoderBiasToInput = applyDecoderBiasToInput
    self.metadata = metadata
  }

  /// Codes for every row of `activations` (tokens x d_in), as CSR tokens x d_sae.
  public func encode(_ activations: Matrix, rowBlock: Int = 2048, progress: VistaCore.Progress = .none) throws -> SparseMatrix {
    guard activations.cols == inputDimension else {
      throw VistaError("shape mismatch: the activations have \(activations.cols) columns, this SAE takes d_in = \(inputDimension)", at: "activations")
    }
    if let bad = activations.firstNonFinite() {
      throw VistaError("activations contain NaN or Inf at row \(bad.row), column \(bad.col)", at: "activations")
    }
    return try activations.storage.withUnsafeBufferPointer { all in
      try encodeBlocks(rows: activations.rows, rowBlock: rowBlock, progress: progress) { range, dst in
        dst.update(from: all.baseAddress! + range.lowerBound * inputDimension, count: range.count * inputDimension)
      }
    }
  }

  /// Codes for a tokens x d_in tensor (e.g. a memory-mapped `.npy`/`.safetensors`), streamed in row blocks so
  /// neither the input nor a dense tokens x d_sae matrix is ever held whole.
  public func encode(_ activations: Tensor, rowBlock: Int = 2048, progress: VistaCore.Progress = .none) throws -> SparseMatrix {
    guard activations.shape.count == 2 else {
      throw VistaError("expected activations of shape (tokens, d_in), found \(activations.shapeText)", at: activations.origin)
    }
    guard activations.shape[1] == inputDimension else {
      throw VistaError("shape mismatch: the activations have \(activations.shape[1]) columns, this SAE takes d_in = \(inputDimension)",
                       at: activations.origin)
    }
    return try encodeBlocks(rows: activations.shape[0], rowBlock: rowBlock, progress: progress) { range, dst in
      try activations.copyRows(range, into: dst)
    }
  }

  /// The shared block loop: fill a block of inputs, one GEMM for its pre-activations, sparsify into CSR.
  func encodeBlocks(rows: Int, rowBlock: Int, progress: VistaCore.Progress,
                    fill: (Range<Int>, UnsafeMutablePointer<Float>) throws -> Void) throws -> SparseMatrix {
    let dIn = inputDimension, dSAE = latentCount
    let block = max(1, min(rowBlock, rows))
    let input = UnsafeMutablePointer<Float>.allocate(capacity: block * dIn)
    let pre = UnsafeMutablePointer<Float>.allocate(capacity: block * dSAE)
    defer { input.deallocate(); pre.deallocate() }
    var pointers = [0]
    pointers.reserveCapacity(rows + 1)
    var indices: [Int32] = []
    var values: [Float] = []
    var start = 0
    while start < rows {
      try progress.checkCancelled()
      let range = start..<min(rows, start + block)
      try fill(range, input)
      preActivations(input, rows: range.count, into: pre)
      sparsify(pre, rows: range.count, pointers: &pointers, indices: &indices, values: &values)
      start = range.upperBound
      progress.update("applying SAE", Double(start) / Double(rows))
    }
    return SparseMatrix(rows: rows, cols: dSAE, rowPointers: pointers, columnIndices: indices, values: values)
  }

  /// pre = (x - b_dec?) W_enc + b_enc for `rows` rows (x is modified when b_dec is subtracted).
  func preActivations(_ x: UnsafeMutablePointer<Float>, rows: Int, into pre: UnsafeMutablePointer<Float>) {
    let dIn = inputDimension, dSAE = latentCount
    if applyDecoderBiasToInput {
      decoderBias.withUnsafeBufferPointer { b in
        for r in 0..<rows { let row = x + r * dIn; for i in 0..<dIn { row[i] -= b[i] } }
      }
    }
    encoderBias.withUnsafeBufferPointer { b in
      for r in 0..<rows { (pre + r * dSAE).update(from: b.baseAddress!, count: dSAE) }
    }
    encoderWeight.storage.withUnsafeBufferPointer { w in
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(dSAE), Int32(dIn), 1,
                  x, Int32(dIn), w.baseAddress!, Int32(dSAE), 1, pre, Int32(dSAE))
    }
  }

  /// Applies the activation function to each row of `pre` and appends the non-zeros (ascending columns).
  func sparsify(_ pre: UnsafeMutablePointer<Float>, rows: Int, pointers: inout [Int], indices: inout [Int32], values: inout [Float]) {
    let dSAE = latentCount
    switch architecture {
    case .relu:
      for r in 0..<rows {
        let row = pre + r * dSAE
        for j in 0..<dSAE where row[j] > 0 { indices.append(Int32(j)); values.append(row[j]) }
        pointers.append(indices.count)
      }
    case .jumpReLU:
      threshold!.withUnsafeBufferPointer { t in
        for r in 0..<rows {
          let row = pre + r * dSAE
          for j in 0..<dSAE where row[j] > t[j] && row[j] > 0 { indices.append(Int32(j)); values.append(row[j]) }
          pointers.append(indices.count)
        }
      }
    case .topK(let k):
      var selector = TopKSelector(k: k)
      for r in 0..<rows {
        let chosen = selector.select(UnsafeBufferPointer(start: pre + r * dSAE, count: dSAE)).sorted()
        for j in chosen where pre[r * dSAE + j] > 0 { indices.append(Int32(j)); values.append(pre[r * dSAE + j]) }
        pointers.append(indices.count)
      }
    }
  }

  /// Reconstructions codes W_dec + b_dec (tokens x d_in).
  public func decode(_ codes: SparseMatrix) -> Matrix {
    precondition(codes.cols == latentCount, "codes have \(codes.cols) latents, the SAE \(latentCount)")
    let dIn = inputDimension
    var out = Matrix(rows: codes.rows, cols: dIn)
    out.storage.withUnsafeMutableBufferPointer { o in
      decoderWeight.storage.withUnsafeBufferPointer { w in
        for r in 0..<codes.rows {
          let dst = o.baseAddress! + r * dIn
          for i in 0..<dIn { dst[i] = decoderBias[i] }
          for e in codes.rowPointers[r]..<codes.rowPointers[r + 1] {
            let v = codes.values[e], src = w.baseAddress! + Int(codes.columnIndices[e]) * dIn
            for i in 0..<dIn { dst[i] += v * src[i] }
          }
        }
      }
    }
    return out
  }
}

/// Indices of the k largest values of a row (ties broken towards the lower index), with a reusable heap.
struct TopKSelector {
  let k: Int
  private var heapValues: [Float]
  private var heapIndices: [Int]

  init(k: Int) {
    self.k = k
    heapValues = []
    heapIndices = []
    heapValues.reserveCapacity(k)
    heapIndices.reserveCapacity(k)
  }

  /// A min-heap of the best k seen so far; a candidate only enters when it beats the heap's minimum.
  mutating func select(_ row: UnsafeBufferPointer<Float>) -> [Int] {
    heapValues.removeAll(keepingCapacity: true)
    heapIndices.removeAll(keepingCapacity: true)
    let n = row.count, k = min(self.k, row.count)
    for j in 0..<k { push(row[j], j) }
    if k == 0 { return [] }
    var floor = heapValues[0]
    for j in k..<n {
      let v = row[j]
      if v > floor {
        heapValues[0] = v
        heapIndices[0] = j
        siftDown(0)
        floor = heapValues[0]
      }
    }
    return heapIndices
  }

  /// "Smaller" in heap order: lower value, or equal value and higher index (so lower indices survive ties).
  @inline(__always) private func less(_ a: Int, _ b: Int) -> Bool {
    heapValues[a] < heapValues[b] || (heapValues[a] == heapValues[b] && heapIndices[a] > heapIndices[b])
  }

  private mutating func push(_ v: Float, _ j: Int) {
    heapValues.append(v)
    heapIndices.append(j)
    var c = heapValues.count - 1
    while c > 0 {
      let p = (c - 1) / 2
      if less(c, p) { heapValues.swapAt(c, p); heapIndices.swapAt(c, p); c = p } else { break }
    }
  }

  private mutating func siftDown(_ start: Int) {
    var p = start
    let n = heapValues.count
    while true {
      let l = 2 * p + 1, r = l + 1
      var m = p
      if l < n && less(l, m) { m = l }
      if r < n && less(r, m) { m = r }
      if m == p { return }
      heapValues.swapAt(p, m)
      heapIndices.swapAt(p, m)
      p = m
    }
  }
}
