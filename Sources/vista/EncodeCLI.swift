import ArgumentParser
import Foundation
import VistaCore
import VistaData
import VistaEncode

/// `vista encode`: captions -> MiniLM sentence embeddings or token-level hidden states, written as arrays.
struct EncodeCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "encode",
    abstract: "Encode captions with the built-in MiniLM (sentence embeddings, or token states with --tokens).",
    discussion: """
      CAPTIONS is `demo` (the embedded ImageNet-21k definitions), `wordnet` (Debian wordnet-base) or a \
      .tsv/.csv/.jsonl/.txt file. Sentence embeddings go to --out as float32 (captions x 384). With --tokens, \
      the states of --layer (default: last) go to --out (tokens x 384, [CLS]/[SEP] dropped) with the caption \
      boundaries: in a .safetensors out file as tensors states/caption_offsets/token_ids, in a .npy out file as \
      a sidecar OUT.offsets.npy (captions + 1 int64).
      """)

  @Argument(help: "demo, wordnet, or a caption file.")
  var captions: String

  @Option(help: "Output file (.npy or .safetensors).")
  var out: String

  @Option(help: "Hidden layer for --tokens: 0 = embeddings ... 6 = last.")
  var layer: Int?

  @Flag(help: "Write token-level hidden states instead of sentence embeddings.")
  var tokens = false

  @Flag(name: .customLong("special-tokens"), help: "With --tokens, keep the [CLS] and [SEP] rows.")
  var specialTokens = false

  @Option(name: .customLong("caption-column"), help: "Caption column of a TSV/CSV/JSONL file.")
  var captionColumn: String?

  @Option(name: .customLong("id-column"), help: "Id column of a TSV/CSV/JSONL file.")
  var idColumn: String?

  @Option(help: "Only the first N captions.")
  var limit: Int?

  @Option(help: "Model folder (default: $VISTA_MODEL_DIR, then $VISTA_HOME/models/all-MiniLM-L6-v2).")
  var model: String?

  func run() throws {
    OpenBLASCoreType.ensureFastKernel()
    var set = try CaptionSource.load(captions, captionColumn: captionColumn, idColumn: idColumn)
    if let limit { set = set.prefix(limit) }
    let encoder = try model.map { try MiniLM(directory: URL(fileURLWithPath: $0)) } ?? MiniLM.load()
    let progress = CommandLineProgress.make()
    let started = Date()
    let outURL = URL(fileURLWithPath: out)
    if tokens {
      let states = try encoder.tokenStates(set.texts, layer: layer, includeSpecialTokens: specialTokens, progress: progress)
      let offsets = Tensor(name: "caption_offsets", shape: [states.captionOffsets.count], int64s: states.captionOffsets.map(Int64.init))
      if outURL.pathExtension.lowercased() == "safetensors" {
        try Safetensors.write(
          [Tensor(name: "states", matrix: states.states), offsets,
           Tensor(name: "token_ids", shape: [states.tokenIds.count], int32s: states.tokenIds)],
          metadata: ["layer": String(states.layer), "model": MiniLM.modelName, "captions": set.source], to: outURL)
      } else {
        try NPY.write(states.states, to: outURL)
        try NPY.write(offsets, to: ActivationsFile.offsetsSidecar(for: outURL))
      }
      printSummary("\(states.states.rows) token states of layer \(states.layer) for \(set.count) captions", started)
    } else {
      if layer != nil { throw VistaError("--layer needs --tokens (sentence embeddings always use the last layer)", at: "option layer") }
      let embeddings = try encoder.encode(set.texts, progress: progress)
      if outURL.pathExtension.lowercased() == "safetensors" {
        try Safetensors.write([Tensor(name: "embeddings", matrix: embeddings)], metadata: ["model": MiniLM.modelName], to: outURL)
      } else {
        try NPY.write(embeddings, to: outURL)
      }
      printSummary("\(embeddings.rows) x \(embeddings.cols) sentence embeddings", started)
    }
  }

  private func printSummary(_ what: String, _ started: Date) {
    let seconds = Date().timeIntervalSince(started)
    FileHandle.standardError.write(Data("\(what) -> \(out) in \(String(format: "%.1f", seconds)) s (BLAS core \(BLAS.coreName))\n".utf8))
  }
}

/// Resolves the CAPTIONS argument shared by the CLI subcommands.
enum CaptionSource {
  static func load(_ name: String, captionColumn: String? = nil, idColumn: String? = nil) throws -> CaptionSet {
    switch name {
    case "demo": return try Datasets.demo()
    case "wordnet": return try Datasets.wordnet()
    default:
      return try CaptionLoader.load(URL(fileURLWithPath: name), options: CaptionLoadOptions(captionColumn: captionColumn, idColumn: idColumn))
    }
  }
}

/// A one-line progress display on stderr (only when stderr is a terminal).
enum CommandLineProgress {
  static func make() -> VistaCore.Progress {
    guard isatty(STDERR_FILENO) != 0 else { return VistaCore.Progress() }
    let progress = VistaCore.Progress { label, fraction in
      let line = String(format: "\r%@ %3.0f%%", label, fraction * 100)
      FileHandle.standardError.write(Data(line.utf8))
      if fraction >= 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
    progress.throttle = 0.25
    return progress
  }
}
