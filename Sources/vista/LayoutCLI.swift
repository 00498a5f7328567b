import ArgumentParser
import Foundation
import VistaCore
import VistaData
import VistaLayout

/// Reads the high-dimensional rows of a layout or gain command: a dense `.npy`, or a `.npz` that
/// is either a scipy CSR matrix (`data`, `indices`, `indptr`, `shape`) or holds one dense array.
enum LayoutInputFile {
  static func read(_ path: String) throws -> LayoutInput {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: path) else { throw VistaError("no such file", at: path) }
    switch url.pathExtension.lowercased() {
    case "npy":
      return .dense(try NPY.read(url).matrix())
    case "npz":
      let names = try NPZ.arrayNames(url)
      if names.contains("indptr") { return .sparse(try SparseMatrixIO.read(url)) }
      guard let first = names.first else { throw VistaError("the .npz holds no arrays", at: path) }
      return .dense(try NPZ.read(url, array: first).matrix())
    default:
      throw VistaError("expected a .npy or .npz file", at: path)
    }
  }
}

/// `vista layout`: UMAP of an array to a 2-D layout (`.npy`, n × 2 float32).
struct LayoutCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "layout",
    abstract: "Lay out the rows of an array in 2-D with UMAP (optionally with VISTA's metric and an aspect ratio).",
    discussion: """
      INPUT is a dense .npy (rows x dims) or a scipy CSR .npz (SAE codes). The layout goes to --out as a
      float32 .npy of shape (rows, 2). Defaults are umap-learn's. --metric vista uses (1 - cos) plus
      --axis-weight times |difference| along latent --axis.
      """)

  @Argument(help: "Input .npy (dense) or .npz (scipy CSR or one dense array).")
  var input: String

  @Option(help: "Output .npy for the (rows, 2) layout.")
  var out: String

  @Option(help: "Neighbours per point (n_neighbors).")
  var neighbors = 15

  @Option(name: .customLong("min-dist"), help: "min_dist.")
  var minDist = 0.1

  @Option(help: "spread.")
  var spread = 1.0

  @Option(help: "SGD epochs (default: 500 up to 10,000 points, else 200).")
  var epochs: Int?

  @Option(help: "euclidean, cosine, correlation, dot or vista.")
  var metric = "euclidean"

  @Option(help: "The selected latent's column, for --metric vista.")
  var axis: Int?

  @Option(name: .customLong("axis-weight"), help: "Weight of the latent-axis term of --metric vista.")
  var axisWeight: Float = 1

  @Option(help: "Target width:height of the map, e.g. 16:9.")
  var aspect: String?

  @Option(help: "spectral or random.")
  var initialization = "spectral"

  @Option(help: "Nearest neighbours: auto, exact or nndescent.")
  var knn = "auto"

  @Option(help: "Random seed (same seed, same layout at any thread count).")
  var seed: UInt64 = 42

  @Option(help: "Threads (default: all cores).")
  var threads: Int?

  @Flag(help: "Print the stage timings as JSON on stdout instead of a summary.")
  var json = false

  func run() throws {
    OpenBLASCoreType.ensureFastKernel()
    BLAS.parkIdleThreads()
    let started = Date()
    let data = try LayoutInputFile.read(input)
    var options = UMAPOptions()
    options.neighbors = neighbors
    options.minDist = minDist
    options.spread = spread
    options.epochs = epochs
    options.metric = try Metric(name: metric, axis: axis, axisWeight: axisWeight)
    options.seed = seed
    if let threads { options.threads = threads }
    if let aspect { options.aspect = try AspectRatio(parsing: aspect) }
    switch initialization.lowercased() {
    case "spectral": options.initialization = .spectral
    case "random": options.initialization = .random
    default: throw VistaError("init must be spectral or random, got '\(initialization)'", at: "option --initialization")
    }
    switch knn.lowercased() {
    case "auto": options.nearestNeighbors.method = .auto
    case "exact": options.nearestNeighbors.method = .exact
    case "nndescent", "nn-descent": options.nearestNeighbors.method = .nnDescent
    default: throw VistaError("knn must be auto, exact or nndescent, got '\(knn)'", at: "option --knn")
    }
    let loaded = Date()
    let result = try UMAP.fit(data, options: options, progress: CommandLineProgress.make())
    try NPY.write(result.embedding, to: URL(fileURLWithPath: out))
    let total = Date().timeIntervalSince(started)
    if json {
      var fields = result.timings.map { "\"\($0.stage)\": \(String(format: "%.4f", $0.seconds))" }
      fields.append("\"read\": \(String(format: "%.4f", loaded.timeIntervalSince(started)))")
      fields.append("\"total\": \(String(format: "%.4f", total))")
      print("{" + fields.joined(separator: ", ") + "}")
    } else {
      let stages = result.timings.map { "\($0.stage) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
      print("layout \(data.rows) x \(data.cols) -> \(out) in \(String(format: "%.2f", total)) s (\(stages))")
      print("metric \(options.metric.name), init \(result.initialization), \(result.epochs) epochs, a \(String(format: "%.4f", result.a)), b \(String(format: "%.4f", result.b))")
      if let a = result.aspect {
        print("aspect \(a.target) by \(a.method) along \(a.orientation); ratio before correction \(String(format: "%.3f", a.ratioBeforeCorrection)), correction \(String(format: "%.3f", a.correction))")
      }
    }
  }
}

/// `vista gain`: the mutual-kNN gain curve (and optionally trustworthiness) of a layout.
struct GainCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gain",
    abstract: "Score a layout against its data: mutual-kNN gain over k (as in the VISTA paper), trustworthiness.",
    discussion: """
      --k takes percentages of n: a range "0.5%..20%" (the first value, then every whole percent up to the
      last), or a list "1%,5%,9%". Neighbours: --high-metric in the data (default cosine), --low-metric on the
      map (default euclidean), ties broken by the smaller index.
      """)

  @Option(help: "The high-dimensional rows (.npy or .npz).")
  var high: String

  @Option(help: "The layout (.npy, rows x 2).")
  var low: String

  @Option(help: "Neighbourhood sizes as percentages of n.")
  var k = "0.5%..20%"

  @Option(name: .customLong("high-metric"), help: "Neighbour rule in the data: cosine, euclidean, correlation, dot, vista.")
  var highMetric = "cosine"

  @Option(name: .customLong("low-metric"), help: "Neighbour rule on the map: euclidean, cosine, dot.")
  var lowMetric = "euclidean"

  @Option(help: "The selected latent's column, for --high-metric vista.")
  var axis: Int?

  @Option(name: .customLong("axis-weight"), help: "Weight of the latent-axis term of --high-metric vista.")
  var axisWeight: Float = 1

  @Option(help: "Also print trustworthiness and continuity for this many neighbours (0 = skip).")
  var trustworthiness = 15

  @Option(help: "Threads (default: all cores).")
  var threads: Int?

  func run() throws {
    OpenBLASCoreType.ensureFastKernel()
    BLAS.parkIdleThreads()
    let data = try LayoutInputFile.read(high)
    let layout = try NPY.read(URL(fileURLWithPath: low)).matrix()
    let fractions = try GainCurve.parseFractions(k)
    let rules = NeighborRules(high: try Metric(name: highMetric, axis: axis, axisWeight: axisWeight),
                              low: try Metric(name: lowMetric))
    let threadCount = threads ?? defaultThreadCount
    // The library's rule, named as this command's option (a layout of other points is its own error).
    if trustworthiness > 0, data.rows == layout.rows {
      do { try Trustworthiness.validate(k: trustworthiness, points: data.rows) } catch let error as VistaError {
        throw VistaError(error.message + "; pass a smaller --trustworthiness, or 0 to skip it", at: "option --trustworthiness")
      }
    }
    let report = try FidelityReport.measure(high: data, low: layout, fractions: fractions, rules: rules,
                                            trustK: trustworthiness > 0 ? trustworthiness : nil, threads: threadCount)
    let curve = report.curve
    print("     p       k   mutual-kNN     gain")
    for p in curve.points {
      print(String(format: "%5.1f%%  %6d   %10.4f  %7.4f", p.fraction * 100, p.k, p.mutualKNN, p.gain))
    }
    if let best = curve.best {
      print(String(format: "max gain %.4f at k = %d (%.1f%%)", best.gain, best.k, best.fraction * 100))
    }
    if let t = report.trustworthiness, let c = report.continuity {
      print(String(format: "trustworthiness %.4f, continuity %.4f (k = %d, %@ in the data)", t, c, trustworthiness, rules.high.name))
    }
  }
}
