import ArgumentParser
import Foundation
import VistaCore
import VistaData
import VistaEncode

/// `vista sae`: apply, train and describe sparse autoencoders.
struct SAECLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sae", abstract: "Apply, train or describe sparse autoencoders.",
    subcommands: [SAEApplyCLI.self, SAETrainCLI.self, SAEInfoCLI.self])
}

struct SAEApplyCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply", abstract: "Apply an SAE to activations (tokens x d_in) and write CSR codes.",
    discussion: """
      --sae takes a Gemma Scope params.npz or an SAELens folder. Codes are written as a scipy-compatible .npz \
      (scipy.sparse.load_npz) or a .safetensors with data/indices/indptr/shape. With --pool, token codes are pooled \
      per caption using the caption offsets written by `vista encode --tokens`.
      """)

  @Option(help: "Gemma Scope params.npz or SAELens folder.") var sae: String
  @Option(help: "Activations, .npy or .safetensors (tokens x d_in).") var activations: String
  @Option(help: "Tensor name inside a .safetensors activations file.") var tensor: String?
  @Option(help: "Output codes, .npz or .safetensors.") var out: String
  @Option(help: "Pool token codes per caption: max, mean or sum (needs caption offsets).") var pool: String?
  @Option(help: "Rows per GEMM block.") var block: Int = 2048

  func run() throws {
    OpenBLASCoreType.ensureFastKernel()
    let model = try SparseAutoencoder.load(URL(fileURLWithPath: sae))
    let (input, offsets, _) = try ActivationsFile.read(activations, tensor: tensor, option: "--tensor")
    let started = Date()
    var codes = try model.encode(input, rowBlock: block, progress: CommandLineProgress.make())
    if let pool {
      guard let method = CaptionPooling(rawValue: pool) else { throw VistaError("pool must be max, mean or sum", at: "option pool") }
      guard let offsets else { throw VistaError("pooling needs caption offsets (from `vista encode --tokens`)", at: activations) }
      codes = try method.pool(codes, captionOffsets: offsets)
    }
    try SparseMatrixIO.write(codes, to: URL(fileURLWithPath: out))
    let l0 = Double(codes.nonZeroCount) / Double(max(codes.rows, 1))
    FileHandle.standardError.write(Data(String(
      format: "%d x %d codes (%@, mean L0 %.1f) -> %@ in %.1f s\n", codes.rows, codes.cols, model.architecture.description, l0, out,
      Date().timeIntervalSince(started)).utf8))
  }
}

struct SAETrainCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train a TopK SAE on activations and save it as an SAELens folder.")

  @Option(help: "Activations, .npy or .safetensors (tokens x d_in).") var activations: String
  @Option(help: "Tensor name inside a .safetensors activations file.") var tensor: String?
  @Option(help: "Number of latents.") var latents: Int = 4096
  @Option(help: "Active latents per token.") var k: Int = 32
  @Option(help: "Passes over the data.") var epochs: Int = 2
  @Option(name: .customLong("batch-size"), help: "Tokens per Adam step.") var batchSize: Int = 1024
  @Option(name: .customLong("learning-rate"), help: "Adam learning rate.") var learningRate: Float = 1e-3
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(name: .customLong("max-tokens"), help: "Train on a seeded sample of at most this many tokens.") var maxTokens: Int?
  @Option(help: "Output SAELens folder.") var out: String

  func run() throws {
    OpenBLASCoreType.ensureFastKernel()
    let input = try ActivationsFile.read(activations, tensor: tensor, option: "--tensor").tensor
    let data = try input.matrix()
    var options = TopKTrainingOptions(latents: latents, k: k, epochs: epochs, batchSize: batchSize, learningRate: learningRate, seed: seed)
    options.maxTokens = maxTokens
    var (model, report) = try SparseAutoencoder.trainTopK(on: data, options: options, progress: CommandLineProgress.make())
    model.metadata["activations"] = activations
    try model.saveSAELens(directory: URL(fileURLWithPath: out))
    print(String(
      format: "trained %d -> %d latents (k %d) on %d tokens in %.1f s: FVE %.4f, L0 %.1f, dead %.2f%%, %d resampled; saved %@",
      model.inputDimension, model.latentCount, k, report.tokens, report.seconds, report.fractionOfVarianceExplained, report.meanL0,
      report.deadFraction * 100, report.resampledLatents, out))
  }
}

struct SAEInfoCLI: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe an SAE.")
  @Argument(help: "Gemma Scope params.npz or SAELens folder.") var sae: String

  func run() throws {
    let model = try SparseAutoencoder.load(URL(fileURLWithPath: sae))
    print("architecture \(model.architecture), d_in \(model.inputDimension), d_sae \(model.latentCount), apply_b_dec_to_input \(model.applyDecoderBiasToInput)")
    for key in model.metadata.keys.sorted() { print("  \(key): \(model.metadata[key]!)") }
  }
}
