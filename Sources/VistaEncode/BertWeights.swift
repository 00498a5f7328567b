import Foundation
import VistaCore
import VistaData

/// One transformer block's parameters, PyTorch Linear layout (out x in), with Q, K and V fused into one
/// (3 hidden) x hidden matrix so a layer starts with a single GEMM.
struct BertLayerWeights {
  var qkvWeight: [Float], qkvBias: [Float]
  var attentionOutputWeight: [Float], attentionOutputBias: [Float]
  var attentionNormGamma: [Float], attentionNormBeta: [Float]
  var intermediateWeight: [Float], intermediateBias: [Float]
  var outputWeight: [Float], outputBias: [Float]
  var outputNormGamma: [Float], outputNormBeta: [Float]
}

/// All BERT encoder parameters read from `model.safetensors`.
struct BertWeights {
  var wordEmbeddings: [Float]
  var positionEmbeddings: [Float]
  var tokenTypeEmbedding: [Float]  // row 0 only: sentence-transformers feeds token_type_ids = 0
  var embeddingNormGamma: [Float], embeddingNormBeta: [Float]
  var layers: [BertLayerWeights]

  init(url: URL, configuration c: BertConfiguration) throws {
    let file = try Safetensors.read(url)
    // Some exports prefix every name with "bert." (BertForMaskedLM and friends).
    let prefix = file.contains("bert.embeddings.word_embeddings.weight") ? "bert." : ""
    func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
      let t = try file.tensor(prefix + name)
      guard t.shape == shape else {
        throw VistaError("shape mismatch: expected \(shape), found \(t.shape)", at: "\(url.lastPathComponent):\(prefix + name)")
      }
      return try t.floats()
    }
    let h = c.hiddenSize, i = c.intermediateSize
    wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [c.vocabularySize, h])
    positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [c.maxPositions, h])
    let types = try file.tensor(prefix + "embeddings.token_type_embeddings.weight")
    tokenTypeEmbedding = Array(try types.floats().prefix(h))
    embeddingNormGamma = try tensor("embeddings.LayerNorm.weight", [h])
    embeddingNormBeta = try tensor("embeddings.LayerNorm.bias", [h])
    layers = try (0..<c.layerCount).map { l in
      let p = "encoder.layer.\(l)."
      return BertLayerWeights(
        qkvWeight: try tensor(p + "attention.self.query.weight", [h, h]) + tensor(p + "attention.self.key.weight", [h, h])
          + tensor(p + "attention.self.value.weight", [h, h]),
        qkvBias: try tensor(p + "attention.self.query.bias", [h]) + tensor(p + "attention.self.key.bias", [h])
          + tensor(p + "attention.self.value.bias", [h]),
        attentionOutputWeight: try tensor(p + "attention.output.dense.weight", [h, h]),
        attentionOutputBias: try tensor(p + "attention.output.dense.bias", [h]),
        attentionNormGamma: try tensor(p + "attention.output.LayerNorm.weight", [h]),
        attentionNormBeta: try tensor(p + "attention.output.LayerNorm.bias", [h]),
        intermediateWeight: try tensor(p + "intermediate.dense.weight", [i, h]),
        intermediateBias: try tensor(p + "intermediate.dense.bias", [i]),
        outputWeight: try tensor(p + "output.dense.weight", [h, i]),
        outputBias: try tensor(p + "output.dense.bias", [h]),
        outputNormGamma: try tensor(p + "output.LayerNorm.weight", [h]),
        outputNormBeta: try tensor(p + "output.LayerNorm.bias", [h]))
    }
  }
}
