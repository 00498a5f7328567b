import Foundation
import VistaCore
import VistaData
import VistaEncode

/// The encoder and SAE stages (MiniLM token states, SAE load/train) and applying the SAE to make codes.
enum RepresentationStages {
  static func register(on session: Session) {
    session.register(.encoder, StageComputation(inputs: [.dataset], codec: EncoderResult.codec, compute: encode))
    session.register(.sae, StageComputation(inputs: [.encoder], usesDefaults: ["seed"], codec: SAEResult.codec, compute: sae))
  }

  /// MiniLM over every caption: sentence embeddings and the token states of `layer` (default: the last).
  static func encode(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> EncoderResult {
    let p = ParameterReader(parameters, .encoder)
    let captions = try session.require(.dataset, as: CaptionSet.self)
    if let path = p.string("activations") {
      let rows = try p.string("rows").map { text -> ExternalActivations.RowKind in
        guard let kind = ExternalActivations.RowKind(rawValue: text) else {
          throw VistaError("rows must be tokens or captions, got '\(text)'", at: "option rows")
        }
        return kind
      }
      return try ExternalActivations.load(path: path, captionCount: captions.count, captionIndex: p.string("caption_index"),
                                          offsets: p.string("offsets"), rows: rows, tensor: p.string("tensor"))
    }
    let model = try loadModel(p.string("model", default: "minilm"))
    let layer = try p.int("layer", default: model.layerCount)
    let output = try model.run(captions.texts, tokenLayer: layer, includeSpecialTokens: false, progress: progress)
    guard let tokens = output.tokenStates else { throw VistaError("the encoder returned no token states", at: "encode") }
    return EncoderResult(embeddings: output.embeddings, tokens: tokens)
  }

  static func loadModel(_ name: String) throws -> MiniLM {
    if name == "minilm" { return try MiniLM.load() }
    return try MiniLM(directory: URL(fileURLWithPath: name))
  }

  /// `sae load PATH` (Gemma Scope .npz, SAELens folder) or `sae train …` on the encoder's token states.
  static func sae(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> SAEResult {
    let p = ParameterReader(parameters, .sae)
    if let path = p.string("path") {
      return SAEResult(sae: try SparseAutoencoder.load(URL(fileURLWithPath: path)), report: nil, origin: path)
    }
    let encoder = try session.require(.encoder, as: EncoderResult.self)
    var options = TopKTrainingOptions()
    options.latents = try p.int("latents", default: options.latents)
    options.k = try p.int("k", default: options.k)
    options.epochs = try p.int("epochs", default: options.epochs)
    options.batchSize = try p.int("batch", default: options.batchSize)
    options.learningRate = Float(try p.double("lr", default: Double(options.learningRate)))
    options.seed = try p.seed(session)
    guard options.k < options.latents else {
      throw VistaError("k (\(options.k)) must be smaller than latents (\(options.latents))", at: "option k")
    }
    let sentences = p.string("on", default: "tokens") == "sentences"
    let data = sentences ? encoder.embeddings : encoder.tokenStates
    let (sae, report) = try SparseAutoencoder.trainTopK(on: data, options: options, progress: progress)
    return SAEResult(sae: sae, report: report, origin: sentences ? "trained on sentences" : "trained")
  }

  /// Fails when both an SAE and activations are configured and the SAE's d_in is not the activations' width,
  /// naming both shapes and files (so `activations load`/`sae load` report it even when the codes came from `codes load`).
  static func checkInputDimension(_ session: Session, progress: Progress = .none) throws {
    guard session.record(.sae) != nil, session.record(.encoder) != nil else { return }
    // A new encoder output makes the SAE stage stale (it is the SAE's input); bring it back (a cache hit or a re-read).
    if !session.isFresh(.sae) { try session.ensure(.sae, progress: progress) }
    guard let sae = session.result(.sae, as: SAEResult.self), let encoder = session.result(.encoder, as: EncoderResult.self),
      sae.sae.inputDimension != encoder.tokenStates.cols
    else { return }
    throw dInMismatch(sae, columns: encoder.tokenStates.cols, of: encoder.describedInput)
  }

  /// The SAE's input width is not the activations' width: both shapes and where each came from.
  static func dInMismatch(_ sae: SAEResult, columns: Int, of described: String) -> VistaError {
    VistaError("d_in mismatch: the SAE (\(sae.displayName), W_enc \(sae.sae.inputDimension) x \(sae.sae.latentCount)) reads \(sae.sae.inputDimension)-dimensional activations but \(described) have \(columns) columns",
               at: "sae")
  }

  /// The SAE applied to the encoder's token states and pooled per caption, or to the sentence embeddings.
  static func applySAE(_ session: Session, pooling: String, source: String = "tokens", progress: Progress) throws -> SparseMatrix {
    guard let sae = session.result(.sae, as: SAEResult.self) else {
      throw VistaError("no SAE is loaded; run `sae load PATH` or `sae train`, or bring codes with `codes load PATH`", at: "codes")
    }
    guard let encoder = session.result(.encoder, as: EncoderResult.self) else {
      throw VistaError("the captions are not encoded; run `encode` (or `activations load PATH`) first", at: "codes")
    }
    if source == "sentences" {
      guard sae.sae.inputDimension == encoder.embeddings.cols else {
        throw dInMismatch(sae, columns: encoder.embeddings.cols, of: "the sentence embeddings")
      }
      return try sae.sae.encode(encoder.embeddings, progress: progress)
    }
    guard sae.sae.inputDimension == encoder.tokenStates.cols else {
      throw dInMismatch(sae, columns: encoder.tokenStates.cols, of: encoder.describedInput)
    }
    guard let method = CaptionPooling(rawValue: pooling) else {
      throw VistaError("pooling must be max, mean or sum, got '\(pooling)'", at: "option pooling")
    }
    let tokenCodes = try sae.sae.encode(encoder.tokenStates, progress: progress)
    return try method.pool(tokenCodes, captionOffsets: encoder.captionOffsets)
  }
}
