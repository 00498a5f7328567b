import VistaCore
import VistaLayout

/// `layout umap …`: UMAP of the selected captions' codes with VISTA's metric and aspect ratio.
enum LayoutStage {
  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> LayoutResult {
    let p = ParameterReader(parameters, .layout)
    let codes = try session.require(.codes, as: SparseMatrix.self)
    let selection = try session.require(.selection, as: LatentSelection.self)
    let input = LayoutInput.sparse(codes.selectingRows(selection.rows))
    let options = try umapOptions(p, session: session, selection: selection, points: input.rows)
    let result = try UMAP.fit(input, options: options, progress: progress)
    var summary = [
      "method": "umap", "metric": options.metric.name, "neighbors": String(options.neighbors),
      "min_dist": Value.format(options.minDist), "seed": String(options.seed), "init": result.initialization,
      "epochs": String(result.epochs), "points": String(input.rows), "latent": String(selection.latent),
    ]
    if case .vista(_, let w) = options.metric { summary["axis_weight"] = Value.format(Double(w)) }
    if let aspect = result.aspect { summary["aspect"] = aspect.target.description }
    return LayoutResult(positions: result.embedding, knn: result.knn, seconds: result.totalSeconds, summary: summary)
  }

  /// Width / height of an `aspect=` value (16:9 when absent or unreadable).
  static func aspectValue(_ text: String?) -> Double {
    if let text, case .ratio(let a, let b)? = OptionKind.ratio.accept(Value.parse(text)) { return a / b }
    return 16.0 / 9.0
  }

  static func umapOptions(_ p: ParameterReader, session: Session, selection: LatentSelection, points: Int) throws -> UMAPOptions {
    var options = UMAPOptions()
    options.neighbors = try p.int("neighbors", default: 15)
    options.minDist = try p.double("min_dist", default: 0.1)
    options.spread = try p.double("spread", default: 1)
    if let epochs = p.string("epochs") { options.epochs = Int(epochs) }
    let metric = p.string("metric", default: "vista")
    options.metric = try Metric(name: metric, axis: selection.latent, axisWeight: Float(try p.double("axis_weight", default: 1)))
    switch p.string("init", default: "spectral") {
    case "random": options.initialization = .random
    default: options.initialization = .spectral
    }
    if case .ratio(let w, let h)? = try p.value("aspect", as: .ratio) {
      options.aspect = try AspectRatio(width: w, height: h)
    }
    options.seed = try p.seed(session)
    options.threads = session.threads
    guard options.neighbors >= 2, options.neighbors < points else {
      throw VistaError("neighbors must be between 2 and the number of points - 1 (\(points - 1)), got \(options.neighbors)", at: "option neighbors")
    }
    return options
  }
}
