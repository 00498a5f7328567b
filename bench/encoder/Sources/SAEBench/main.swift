import Foundation
import VistaCore
import VistaData
import VistaEncode

// Two SAE benchmarks, each printing one JSON line for bench/sae/run.sh:
//   SAEBench apply [--tokens 100000] [--d-in 2304] [--latents 16384] [--block 2048]
//     JumpReLU SAE with random weights (seed 1) applied to random activations (seed 2): time and peak RSS.
//     Pre-activations have unit spread; the threshold 2.6 gives L0 near 70, like Gemma Scope average_l0_71.
//   SAEBench train-demo [--captions 21844] [--latents 4096] [--k 32] [--epochs 2] [--layer 6]
//     The embedded demo end to end: MiniLM token states, TopK SAE training, apply + max pooling per caption.
func peakRSSMegabytes() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Process CPU seconds (user + system). On a busy shared machine, CPU time with one BLAS thread is the
/// honest stand-in for wall time on an idle core.
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fatalError("usage: SAEBench apply|train-demo [flags]") }
var flags: [String: Int] = [:]
var i = 1
while i + 1 < arguments.count { flags[arguments[i]] = Int(arguments[i + 1]) ?? 0; i += 2 }
if let threads = flags["--threads"] { BLAS.setThreadCount(threads) }

func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, scale: Float) -> Matrix {
  var m = Matrix(rows: rows, cols: cols)
  // Per-row streams keep generation cheap and the values independent of any thread count.
  m.storage.withUnsafeMutableBufferPointer { s in
    for r in 0..<rows {
      var g = SeededGenerator.stream(seed: seed, index: UInt64(r))
      for c in 0..<cols { s[r * cols + c] = (g.nextUnitFloat() * 2 - 1) * scale }
    }
  }
  return m
}

switch mode {
case "apply":
  let tokens = flags["--tokens"] ?? 100_000, dIn = flags["--d-in"] ?? 2304, latents = flags["--latents"] ?? 16384
  let block = flags["--block"] ?? 2048
  let scale = 1 / Float(dIn).squareRoot()
  let sae = try SparseAutoencoder(
    architecture: .jumpReLU, encoderWeight: randomMatrix(dIn, latents, seed: 1, scale: scale), encoderBias: [Float](repeating: 0, count: latents),
    decoderWeight: randomMatrix(latents, dIn, seed: 3, scale: scale), decoderBias: [Float](repeating: 0, count: dIn),
    threshold: [Float](repeating: 2.6, count: latents), applyDecoderBiasToInput: false)
  let activations = randomMatrix(tokens, dIn, seed: 2, scale: 3)
  let start = now(), startCPU = cpuSeconds()
  let codes = try sae.encode(activations, rowBlock: block)
  let seconds = now() - start, cpu = cpuSeconds() - startCPU
  print(String(format: "{\"tokens\": %d, \"d_in\": %d, \"latents\": %d, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"nnz\": %d, \"gflops\": %.1f, \"peak_rss_mb\": %.1f, \"core\": \"%@\"}",
               tokens, dIn, latents, seconds, cpu, codes.nonZeroCount, 2 * Double(tokens) * Double(dIn) * Double(latents) / seconds / 1e9,
               peakRSSMegabytes(), BLAS.coreName))
case "train-demo":
  let captionCount = flags["--captions"] ?? 21_844
  var options = TopKTrainingOptions(latents: flags["--latents"] ?? 4096, k: flags["--k"] ?? 32, epochs: flags["--epochs"] ?? 2)
  let texts = Array(try Datasets.demo().texts.prefix(captionCount))
  let model = try MiniLM.load()
  let t0 = now(), c0 = cpuSeconds()
  let states = try model.tokenStates(texts, layer: flags["--layer"] ?? model.layerCount)
  let t1 = now(), c1 = cpuSeconds()
  options.deadAfterTokens = min(options.deadAfterTokens, states.states.rows / 2)
  let (sae, report) = try SparseAutoencoder.trainTopK(on: states.states, options: options)
  let t2 = now(), c2 = cpuSeconds()
  let tokenCodes = try report.tokenCodes ?? sae.encode(states.states)  // the training report carries them
  let captionCodes = try CaptionPooling.max.pool(tokenCodes, captionOffsets: states.captionOffsets)
  let stats = LatentStatistics(codes: captionCodes)
  let t3 = now(), c3 = cpuSeconds()
  let liveOnCaptions = stats.activeCount.filter { $0 > 0 }.count
  print(String(format: "{\"captions\": %d, \"tokens\": %d, \"encode_s\": %.2f, \"train_s\": %.2f, \"apply_pool_stats_s\": %.2f, \"total_s\": %.2f, \"cpu_s\": {\"encode\": %.1f, \"train\": %.1f, \"apply_pool_stats\": %.1f}, \"blas_threads\": %d, \"fve\": %.4f, \"l0\": %.2f, \"dead_fraction\": %.4f, \"resampled\": %d, \"epoch_losses\": [%@], \"caption_l0\": %.1f, \"latents_live_on_captions\": %d, \"peak_rss_mb\": %.1f, \"core\": \"%@\"}",
               texts.count, states.states.rows, t1 - t0, t2 - t1, t3 - t2, t3 - t0, c1 - c0, c2 - c1, c3 - c2, BLAS.threadCount, report.fractionOfVarianceExplained, report.meanL0,
               report.deadFraction, report.resampledLatents, report.epochLosses.map { String(format: "%.4f", $0) }.joined(separator: ", "),
               Double(captionCodes.nonZeroCount) / Double(max(captionCodes.rows, 1)), liveOnCaptions, peakRSSMegabytes(), BLAS.coreName))
default:
  fatalError("unknown mode \(mode)")
}
