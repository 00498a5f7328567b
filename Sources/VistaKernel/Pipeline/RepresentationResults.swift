import Foundation
import VistaCore
import VistaData
import VistaEncode

/// What `encode` produces: sentence embeddings and one layer's token states of every caption.
public struct EncoderResult: Sendable {
  /// captions x hidden, unit length (mean-pooled MiniLM sentence embeddings).
  public var embeddings: Matrix
  /// Token states of `layer` without [CLS]/[SEP] (tokens x hidden); the SAE is applied to these.
  public var tokenStates: Matrix
  /// Caption i owns token rows `captionOffsets[i]..<captionOffsets[i+1]`.
  public var captionOffsets: [Int]
  public var tokenIds: [Int32]
  /// The MiniLM layer, or -1 for activations brought with `activations load`.
  public var layer: Int
  /// The activations file when they were computed elsewhere (`activations load PATH`); nil for MiniLM.
  public var source: String?

  init(embeddings: Matrix, tokens: TokenStates) {
    self.init(embeddings: embeddings, tokenStates: tokens.states, captionOffsets: tokens.captionOffsets,
              tokenIds: tokens.tokenIds, layer: tokens.layer)
  }

  init(embeddings: Matrix, tokenStates: Matrix, captionOffsets: [Int], tokenIds: [Int32], layer: Int, source: String? = nil) {
    self.embeddings = embeddings; self.tokenStates = tokenStates; self.captionOffsets = captionOffsets
    self.tokenIds = tokenIds; self.layer = layer; self.source = source
  }

  /// "the activations (acts.npy, shape (970, 96))" or "the MiniLM token states (shape …)", for error messages.
  var describedInput: String {
    let shape = "shape (\(tokenStates.rows), \(tokenStates.cols))"
    if let source { return "the activations (\((source as NSString).lastPathComponent), \(shape))" }
    return "the MiniLM layer-\(layer) token states (\(shape))"
  }

  static var codec: ArtifactCodec<EncoderResult> {
    ArtifactCodec(
      encode: { r in
        var w = BinaryWriter()
        w.write(r.embeddings)
        w.write(r.tokenStates)
        w.write(r.captionOffsets)
        w.write(r.tokenIds)
        w.write(r.layer)
        w.write(r.source ?? "")
        return w.data
      },
      decode: { data in
        var rd = BinaryReader(data)
        let embeddings = try rd.readMatrix()
        let states = try rd.readMatrix()
        let offsets = try rd.readInts()
        let ids = try rd.readInt32s()
        let layer = try rd.readInt()
        let source = try rd.readString()
        try rd.expectEnd()
        guard offsets.last == states.rows, ids.count == states.rows, offsets.count == embeddings.rows + 1 else {
          throw VistaError("inconsistent cached encoder output", at: "cache")
        }
        return EncoderResult(embeddings: embeddings, tokenStates: states, captionOffsets: offsets, tokenIds: ids, layer: layer,
                             source: source.isEmpty ? nil : source)
      })
  }
}

/// An SAE and, when it was trained here, how well it reconstructs its training tokens.
public struct SAEResult: Sendable {
  public var sae: SparseAutoencoder
  public var report: SAETrainingReport?
  /// Where it came from: a path, or "trained".
  public var origin: String

  /// The file name for a loaded SAE ("params.npz"), else how it was made ("trained here").
  var displayName: String { origin.hasPrefix("/") ? (origin as NSString).lastPathComponent : (origin == "trained" ? "trained here" : origin) }

  static var codec: ArtifactCodec<SAEResult> {
    ArtifactCodec(
      encode: { r in
        var w = BinaryWriter()
        switch r.sae.architecture {
        case .relu: w.write(0); w.write(0)
        case .jumpReLU: w.write(1); w.write(0)
        case .topK(let k): w.write(2); w.write(k)
        }
        w.write(r.sae.encoderWeight); w.write(r.sae.encoderBias)
        w.write(r.sae.decoderWeight); w.write(r.sae.decoderBias)
        w.write(r.sae.threshold != nil); w.write(r.sae.threshold ?? [])
        w.write(r.sae.applyDecoderBiasToInput)
        let keys = r.sae.metadata.keys.sorted()
        w.write(keys); w.write(keys.map { r.sae.metadata[$0] ?? "" })
        w.write(r.origin)
        w.write(r.report != nil)
        if let p = r.report {
          w.write(p.fractionOfVarianceExplained); w.write(p.meanL0); w.write(p.deadFraction); w.write(p.epochLosses)
          w.write(p.steps); w.write(p.resampledLatents); w.write(p.seconds); w.write(p.tokens)
        }
        return w.data
      },
      decode: { data in
        var rd = BinaryReader(data)
        let kind = try rd.readInt(), k = try rd.readInt()
        let architecture: SAEArchitecture = kind == 0 ? .relu : kind == 1 ? .jumpReLU : .topK(k)
        let encW = try rd.readMatrix(), encB = try rd.readFloats(), decW = try rd.readMatrix(), decB = try rd.readFloats()
        let hasThreshold = try rd.readBool(), threshold = try rd.readFloats()
        let applyBias = try rd.readBool()
        let keys = try rd.readStrings(), values = try rd.readStrings()
        let origin = try rd.readString()
        var report: SAETrainingReport?
        if try rd.readBool() {
          let fve = try rd.readDouble(), l0 = try rd.readDouble(), dead = try rd.readDouble(), losses = try rd.readDoubles()
          let steps = try rd.readInt(), resampled = try rd.readInt(), seconds = try rd.readDouble(), tokens = try rd.readInt()
          report = SAETrainingReport(fractionOfVarianceExplained: fve, meanL0: l0, deadFraction: dead, epochLosses: losses,
                              steps: steps, resampledLatents: resampled, seconds: seconds, tokens: tokens)
        }
        try rd.expectEnd()
        guard keys.count == values.count else { throw VistaError("inconsistent cached SAE", at: "cache") }
        let sae = try SparseAutoencoder(
          architecture: architecture, encoderWeight: encW, encoderBias: encB, decoderWeight: decW, decoderBias: decB,
          threshold: hasThreshold ? threshold : nil, applyDecoderBiasToInput: applyBias,
          metadata: Dictionary(uniqueKeysWithValues: zip(keys, values)))
        return SAEResult(sae: sae, report: report, origin: origin)
      })
  }
}
