import Foundation
import VistaCore
import VistaData
import VistaEncode

// MiniLM throughput on the demo captions. Prints one JSON line for run.sh:
// {"sentences": N, "seconds_median": s, "sentences_per_second": r, "gflops": g, "peak_rss_mb": m, "core": "..."}
// Usage: EncoderBench [--count 2000] [--repeat 3] [--tokens-per-batch 4096] [--threads T]
var count = 2000, repeats = 3, tokensPerBatch = 4096
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
  guard let value = arguments.next().flatMap(Int.init) else { fatalError("\(flag) needs an integer") }
  switch flag {
  case "--count": count = value
  case "--repeat": repeats = value
  case "--tokens-per-batch": tokensPerBatch = value
  case "--threads": BLAS.setThreadCount(value)
  default: fatalError("unknown flag \(flag)")
  }
}

func peakRSSMegabytes() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

let texts = Array(try Datasets.demo().texts.prefix(count))
let model = try MiniLM.load()
let sequences = model.tokenize(texts)
// FLOPs of one pass: per token the six layers' dense GEMMs, plus attention (2 L^2 d per layer and text).
let c = model.configuration
let tokens = sequences.reduce(0) { $0 + $1.count }
let denseFlops = 2.0 * Double(tokens) * Double(c.layerCount) * Double(4 * c.hiddenSize * c.hiddenSize + 2 * c.hiddenSize * c.intermediateSize)
let attentionFlops = sequences.reduce(0.0) { $0 + 4.0 * Double($1.count * $1.count) * Double(c.hiddenSize) } * Double(c.layerCount)
_ = try model.encode(Array(texts.prefix(64)), tokensPerBatch: tokensPerBatch)  // warm-up
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
var times: [Double] = [], cpuTimes: [Double] = []
for _ in 0..<repeats {
  let start = DispatchTime.now().uptimeNanoseconds, startCPU = cpuSeconds()
  _ = try model.encode(texts, tokensPerBatch: tokensPerBatch)
  times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  cpuTimes.append(cpuSeconds() - startCPU)
}
let median = times.sorted()[times.count / 2]
let cpuMedian = cpuTimes.sorted()[cpuTimes.count / 2]
print(String(
  format: "{\"sentences\": %d, \"tokens\": %d, \"seconds_median\": %.4f, \"cpu_seconds_median\": %.4f, \"sentences_per_cpu_second\": %.1f, \"sentences_per_second\": %.1f, \"gflops\": %.1f, \"gflops_per_cpu_second\": %.1f, \"peak_rss_mb\": %.1f, \"core\": \"%@\", \"threads\": %d}",
  texts.count, tokens, median, cpuMedian, Double(texts.count) / cpuMedian, Double(texts.count) / median, (denseFlops + attentionFlops) / median / 1e9, (denseFlops + attentionFlops) / cpuMedian / 1e9, peakRSSMegabytes(),
  BLAS.coreName, BLAS.threadCount))
