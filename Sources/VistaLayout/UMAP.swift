import VistaCore

/// Seconds spent in one stage of a computation.
public struct StageTiming: Sendable, Codable, Equatable {
  public var stage: String
  public var seconds: Double
}

/// A fitted UMAP layout and everything needed to reuse it.
public struct UMAPResult: Sendable {
  /// n × 2, row-major.
  public var embedding: Matrix
  public var options: UMAPOptions
  public var seed: UInt64 { options.seed }
  /// The symmetric fuzzy graph the SGD optimised (before epoch pruning), for clustering.
  public var graph: WeightedGraph
  /// The kNN graph it was built from (self included).
  public var knn: KNNGraph
  /// The fitted output kernel parameters.
  public var a: Double
  public var b: Double
  public var epochs: Int
  /// How the aspect ratio was imposed, nil when none was asked for.
  public var aspect: AspectMetadata?
  /// "spectral", "spectral (n components)", "random" or "given".
  public var initialization: String
  public var timings: [StageTiming]

  public var totalSeconds: Double { timings.reduce(0) { $0 + $1.seconds } }
}

/// Uniform Manifold Approximation and Projection to 2-D, as umap-learn 0.5 does it
/// (vista-method §2), with VISTA's metric and aspect ratio.
public enum UMAP {
  /// Lays out the rows of `input`.
  ///
  /// - Parameter stretchValues: for `options.aspect`, per-row values whose growth the long axis
  ///   follows; default the selected latent's activation under the VISTA metric.
  public static func fit(_ input: LayoutInput, options: UMAPOptions = UMAPOptions(), stretchValues: [Float]? = nil,
                         progress: Progress = .none) throws -> UMAPResult {
    let clock = ContinuousClock()
    let start = clock.now
    try validate(options)
    guard input.rows >= 2 else { throw VistaError("UMAP needs at least 2 points, got \(input.rows)", at: "input") }
    let k = min(options.neighbors, input.rows)
    var knnOptions = options.nearestNeighbors
    knnOptions.threads = options.threads
    knnOptions.seed = options.seed
    let knn = try NearestNeighbors.compute(input, k: k, metric: options.metric, includeSelf: true,
                                           options: knnOptions, progress: progress)
    let knnSeconds = seconds(clock.now - start)
    var values = stretchValues
    if values == nil, case .vista(let axis, _) = options.metric { values = input.column(axis) }
    var result = try fit(knn: knn, options: options, stretchValues: values, progress: progress)
    result.timings.insert(StageTiming(stage: "nearest neighbours", seconds: knnSeconds), at: 0)
    return result
  }

  /// Lays out a precomputed kNN graph (column 0 must be self at distance 0, as `NearestNeighbors`
  /// returns with `includeSelf`; a graph without self gets it prepended).
  public static func fit(knn rawKNN: KNNGraph, options: UMAPOptions = UMAPOptions(), stretchValues: [Float]? = nil,
                         progress: Progress = .none) throws -> UMAPResult {
    let clock = ContinuousClock()
    var timings: [StageTiming] = []
    var mark = clock.now
    func lap(_ stage: String) {
      let now = clock.now
      timings.append(StageTiming(stage: stage, seconds: seconds(now - mark)))
      mark = now
    }
    try rawKNN.validate()
    let knn = rawKNN.withSelf(true)
    let n = knn.n
    try validate(options)
    if let values = stretchValues, values.count != n {
      throw VistaError("stretch values have \(values.count) entries for \(n) points", at: "option aspect")
    }

    // 1. The fuzzy simplicial set.
    let graph = FuzzySimplicialSet.build(knn, setOpMixRatio: Float(options.setOpMixRatio),
                                         localConnectivity: options.localConnectivity, threads: options.threads)
    lap("fuzzy graph")

    // 2. Epochs, kernel and pruning.
    let epochs = options.epochCount(points: n)
    let fitted = try CurveFit.abParameters(spread: options.spread, minDist: options.minDist)
    let a = options.a ?? fitted.a, b = options.b ?? fitted.b
    let pruneEpochs = epochs > 10 ? epochs : (n <= 10_000 ? 500 : 200)
    let pruned = graph.pruned(below: graph.maxWeight / Float(pruneEpochs))

    // 3. Initial layout.
    var layout: Matrix
    var initName: String
    switch options.initialization {
    case .spectral:
      let components: Int
      (layout, components) = try SpectralInit.layout(graph: pruned, seed: options.seed, progress: progress)
      initName = components == 1 ? "spectral" : "spectral (\(components) components)"
    case .random:
      var rng = SeededGenerator.stream(seed: options.seed, index: 0x5A4D)
      layout = Matrix(rows: n, cols: 2, storage: (0..<(2 * n)).map { _ in rng.nextUnitFloat() * 20 - 10 })
      initName = "random"
    case .given(let values):
      guard values.count == 2 * n else {
        throw VistaError("the given layout has \(values.count / 2) points, the data \(n)", at: "option init")
      }
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw VistaError("the given layout has a non-finite value at point \(bad / 2)", at: "option init")
      }
      layout = Matrix(rows: n, cols: 2, storage: values)
      initName = "given"
    }
    lap("initialisation")

    // 4. umap-learn maps each axis to [0, 10]; with an aspect ratio, to a stretched box of the
    //    same area, after turning the stretch direction to x (see `AspectRatio`).
    var orientation = ""
    if let aspect = options.aspect {
      let direction = LayoutGeometry.direction(layout, values: stretchValues)
      orientation = stretchValues == nil ? "principal axis" : "latent activation"
      LayoutGeometry.rotate(&layout, toAlign: direction)
      let r = aspect.ratio.squareRoot()
      LayoutGeometry.rescale(&layout, width: 10 * r, height: 10 / r)
    } else {
      LayoutGeometry.rescale(&layout, width: 10, height: 10)
    }

    // 5. SGD.
    let optimizer = UMAPOptimizer(
      graph: pruned, a: Float(a), b: Float(b), repulsion: Float(options.repulsionStrength),
      initialAlpha: Float(options.learningRate), epochs: epochs,
      negativeSampleRate: Float(options.negativeSampleRate), attractionFactor: 2, tailsAreHeads: true,
      seed: options.seed, threads: options.threads)
    try optimizer.optimize(head: &layout, tail: nil, progress: progress, label: "layout")
    lap("optimisation")

    // 6. Final orientation and ratio correction.
    var aspectMetadata: AspectMetadata? = nil
    if let aspect = options.aspect {
      LayoutGeometry.rotate(&layout, toAlign: LayoutGeometry.direction(layout, values: stretchValues))
      let before = LayoutGeometry.extentRatio(layout)
      var correction = 1.0
      if before.isFinite && before > 0 {
        correction = (aspect.ratio / before).squareRoot()
        LayoutGeometry.stretch(&layout, by: correction)
      }
      aspectMetadata = AspectMetadata(target: aspect, method: "stretched-init", orientation: orientation,
                                      ratioBeforeCorrection: before, correction: correction)
      lap("aspect")
    }
    return UMAPResult(embedding: layout, options: options, graph: graph, knn: knn, a: a, b: b, epochs: epochs,
                      aspect: aspectMetadata, initialization: initName, timings: timings)
  }

  /// Places new points into an existing map (umap-learn's `transform`, vista-method §2.8): kNN into
  /// the training rows, memberships with local_connectivity − 1, start at the membership-weighted
  /// mean of the neighbours' positions, then SGD with the map frozen.
  ///
  /// - Parameter training: the rows the map was fitted on.
  public static func transform(_ newPoints: LayoutInput, training: LayoutInput, model: UMAPResult,
                               progress: Progress = .none) throws -> Matrix {
    let options = model.options
    let nTrain = training.rows
    guard nTrain == model.embedding.rows else {
      throw VistaError("the map has \(model.embedding.rows) points but \(nTrain) training rows were given", at: "transform")
    }
    let count = newPoints.rows
    if count == 0 { return Matrix(rows: 0, cols: 2) }
    let k = min(options.neighbors, nTrain)
    let knn = try NearestNeighbors.query(newPoints, reference: training, k: k, metric: options.metric,
                                         threads: options.threads, progress: progress)
    let smooth = SmoothKNN(knn, localConnectivity: max(0, options.localConnectivity - 1), threads: options.threads)
    let graph = FuzzySimplicialSet.memberships(knn, smooth: smooth, columns: nTrain, bipartite: true,
                                               threads: options.threads)
    let epochs = options.epochs.map { max(1, $0 / 3) } ?? (nTrain <= 10_000 ? 100 : 30)
    let pruned = graph.pruned(below: graph.maxWeight / Float(epochs))

    var layout = Matrix(rows: count, cols: 2)
    for i in 0..<count {
      var source = pruned
      if pruned.rowPointers[i] == pruned.rowPointers[i + 1] { source = graph }
      var total: Float = 0, x: Float = 0, y: Float = 0
      for e in source.rowPointers[i]..<source.rowPointers[i + 1] {
        let j = Int(source.columns[e]), w = source.weights[e]
        total += w
        x += w * model.embedding[j, 0]
        y += w * model.embedding[j, 1]
      }
      if total > 0 { layout[i, 0] = x / total; layout[i, 1] = y / total }
    }
    let optimizer = UMAPOptimizer(
      graph: pruned, a: Float(model.a), b: Float(model.b), repulsion: Float(options.repulsionStrength),
      initialAlpha: Float(options.learningRate / 4), epochs: epochs,
      negativeSampleRate: Float(options.negativeSampleRate), attractionFactor: 1, tailsAreHeads: false,
      seed: options.seed &+ 0x7F4A, threads: options.threads)
    try optimizer.optimize(head: &layout, tail: model.embedding, progress: progress, label: "transform")
    return layout
  }

  static func validate(_ o: UMAPOptions) throws {
    guard o.neighbors >= 2 else { throw VistaError("n_neighbors must be ≥ 2, got \(o.neighbors)", at: "option n_neighbors") }
    if let e = o.epochs, e < 1 { throw VistaError("n_epochs must be ≥ 1, got \(e)", at: "option n_epochs") }
    guard o.learningRate > 0, o.learningRate.isFinite else {
      throw VistaError("learning_rate must be > 0, got \(o.learningRate)", at: "option learning_rate")
    }
    guard o.negativeSampleRate >= 0 else {
      throw VistaError("negative_sample_rate must be ≥ 0, got \(o.negativeSampleRate)", at: "option negative_sample_rate")
    }
    guard o.repulsionStrength >= 0, o.repulsionStrength.isFinite else {
      throw VistaError("repulsion_strength must be ≥ 0, got \(o.repulsionStrength)", at: "option repulsion_strength")
    }
    guard (0...1).contains(o.setOpMixRatio) else {
      throw VistaError("set_op_mix_ratio must be in [0, 1], got \(o.setOpMixRatio)", at: "option set_op_mix_ratio")
    }
    guard o.localConnectivity >= 0, o.localConnectivity.isFinite else {
      throw VistaError("local_connectivity must be ≥ 0, got \(o.localConnectivity)", at: "option local_connectivity")
    }
    guard o.threads >= 1 else { throw VistaError("threads must be ≥ 1, got \(o.threads)", at: "option threads") }
    if let a = o.a, !(a > 0) { throw VistaError("a must be > 0, got \(a)", at: "option a") }
    if let b = o.b, !(b > 0) { throw VistaError("b must be > 0, got \(b)", at: "option b") }
  }

  static func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
  }
}
