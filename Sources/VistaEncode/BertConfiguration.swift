import Foundation
import VistaCore

/// The fields of a BERT `config.json` the encoder needs (plus `max_seq_length` from `sentence_bert_config.json`).
public struct BertConfiguration: Sendable, Equatable {
  public var hiddenSize: Int
  public var layerCount: Int
  public var headCount: Int
  public var intermediateSize: Int
  public var maxPositions: Int
  public var vocabularySize: Int
  public var layerNormEpsilon: Float
  /// sentence-transformers truncates to this many tokens (256 for all-MiniLM-L6-v2).
  public var maxSequenceLength: Int

  public var headSize: Int { hiddenSize / headCount }

  /// Reads `config.json` (and `sentence_bert_config.json` when present) from a model folder.
  public init(directory: URL) throws {
    let configURL = directory.appendingPathComponent("config.json")
    let json = try Self.readJSON(configURL)
    func int(_ key: String) throws -> Int {
      guard let v = json[key] as? NSNumber else { throw VistaError("missing or non-numeric \"\(key)\"", at: configURL.path) }
      return v.intValue
    }
    if let act = json["hidden_act"] as? String, act != "gelu" {
      throw VistaError("hidden_act \"\(act)\" is not supported (only BERT's erf GELU)", at: configURL.path)
    }
    if let kind = json["position_embedding_type"] as? String, kind != "absolute" {
      throw VistaError("position_embedding_type \"\(kind)\" is not supported (only absolute)", at: configURL.path)
    }
    hiddenSize = try int("hidden_size")
    layerCount = try int("num_hidden_layers")
    headCount = try int("num_attention_heads")
    intermediateSize = try int("intermediate_size")
    maxPositions = try int("max_position_embeddings")
    vocabularySize = try int("vocab_size")
    layerNormEpsilon = (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
    guard hiddenSize % headCount == 0 else {
      throw VistaError("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)", at: configURL.path)
    }
    maxSequenceLength = min(512, maxPositions)
    let sbertURL = directory.appendingPathComponent("sentence_bert_config.json")
    if FileManager.default.fileExists(atPath: sbertURL.path), let n = try Self.readJSON(sbertURL)["max_seq_length"] as? NSNumber {
      maxSequenceLength = min(n.intValue, maxPositions)
    }
  }

  static func readJSON(_ url: URL) throws -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: url.path) else { throw VistaError("cannot read", at: url.path) }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw VistaError("not a JSON object", at: url.path)
    }
    return object
  }
}
