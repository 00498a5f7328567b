import Foundation
import VistaCore
import VistaLayout
import VistaMap
import VistaRender

/// `sweep layout neighbors=5,15,50 min_dist=0.0..0.5:0.25 [pick=best]`: every combination in parallel,
/// then a contact sheet and a table of gain maximum, trustworthiness and time.
struct SweepCommand: Command {
  let spec = CommandSpec(
    ["sweep"], group: .session, summary: "Try combinations of a stage's parameters in parallel; contact sheet and table of gain, trustworthiness, time",
    arguments: [ArgumentSpec("STAGE", .choice(["layout", "selection"]), "the stage to vary: layout (UMAP options) or selection (latent, top)")],
    options: [
      OptionSpec("pick", .choice(["best", "none"]), default: "none", "`best`: set the stage to the combination with the highest gain"),
      OptionSpec("by", .choice(["gain", "trust"]), default: "gain", "what `best` and the table order use: max gain or trustworthiness"),
      OptionSpec("columns", .integer(min: 1, max: 12), default: "4", "contact sheet columns"),
    ],
    details: "Other options are the stage's own, each a list (a,b,c), an integer range (5..8) or a stepped range (0.0..0.5:0.25); unset ones keep the stage's current values. An interrupt keeps the finished combinations (their layouts stay cached). Stages before the selection are not swept: another encoder or SAE has other latents, so `latent=N` would mean something different in each combination; the map stages do not change the gain.",
    examples: ["sweep layout neighbors=5,15,50 min_dist=0.0,0.1,0.5", "sweep layout axis_weight=0..4 pick=best",
               "sweep selection top=1%,2%,5%", "sweep selection latent=3,17,42 pick=best"],
    acceptsOtherOptions: true)

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let session = context.session
    let stage: Stage = invocation.string("STAGE") == "selection" ? .selection : .layout
    let stageOptions = stage == .layout ? LayoutCommand.options : SelectCommand.options
    let axes = try Self.axes(invocation, stage: stage, options: stageOptions)
    guard !axes.isEmpty else {
      throw CommandError(.missingArgument, "say what to vary, e.g. `sweep layout neighbors=5,15,50`", at: invocation.position)
    }
    try Prerequisites.check(stage == .layout ? .layout : .selection, session: session, at: invocation.position)
    let codes = try context.fresh(.codes, as: SparseMatrix.self, title: "codes")
    let current = stage == .layout ? try context.fresh(.selection, as: LatentSelection.self, title: "selection") : nil
    /// A stage's defaults overlaid with the session's settings for it.
    func configured(_ stage: Stage, defaults: [String: String]) -> [String: String] {
      defaults.merging(session.record(stage)?.parameters.values ?? [:]) { _, stored in stored }
    }
    let layoutParameters = configured(.layout, defaults: LayoutCommand.defaults)
    let base = stage == .layout ? layoutParameters : configured(.selection, defaults: SelectCommand.defaults)
    let grid = SweepGrid.expand(axes.map { (name: $0.name, values: $0.values) }).map {
      StageParameters(base.merging($0.values) { _, new in new })
    }
    // Scored with the session's fidelity settings (the `gain` stage's own parsing and caps).
    let fidelityReader = ParameterReader(session.record(.fidelity)?.parameters ?? StageParameters(), .fidelity)
    let (lowK, highK) = try FidelityStage.kRange(fidelityReader)
    let trustSetting = try fidelityReader.int("trust_k", default: 15)
    let layoutReader = ParameterReader(StageParameters(layoutParameters), .layout)
    // A layout sweep keeps the selection: its rows are cut out of the codes once, not per variant.
    let currentInput = current.map { LayoutInput.sparse(codes.selectingRows($0.rows)) }

    /// Gain and trustworthiness of one layout of `selection`, whose codes are `high`.
    func score(_ layout: LayoutResult, _ selection: LatentSelection, high: LayoutInput, _ progress: Progress) throws -> SweepScore {
      let fractions = FidelityStage.fractions(from: lowK, to: highK, points: high.rows)
      let report = try FidelityReport.measure(high: high, low: layout.positions, fractions: fractions,
                                              rules: NeighborRules(high: .cosine, low: .euclidean),
                                              trustK: FidelityStage.trustK(trustSetting, points: high.rows),
                                              continuity: false, threads: 1, progress: progress)
      return SweepScore(layout: layout, selection: selection, maxGain: report.curve.maxGain,
                        argmax: report.curve.argmaxFraction, trust: report.trustworthiness ?? 0)
    }

    let outcome = try context.withProgress("sweep: \(grid.count) combinations") { progress in
      runSweep(grid: grid, threads: min(session.threads, grid.count), progress: progress) { parameters, child -> SweepScore in
        if stage == .layout, let current, let currentInput {
          let made = try session.materialize(.layout, parameters: parameters, progress: child)
          guard let layout = made.value as? LayoutResult else { throw VistaError("layout stage gave an unexpected result") }
          return try score(layout, current, high: currentInput, child)
        }
        // A selection variant: its own points, laid out with the session's layout options.
        let selection = try SelectionStage.select(codes: codes, parameters: ParameterReader(parameters, .selection))
        let input = LayoutInput.sparse(codes.selectingRows(selection.rows))
        var options = try LayoutStage.umapOptions(layoutReader, session: session, selection: selection, points: input.rows)
        options.threads = 1
        let start = Date()
        let fit = try UMAP.fit(input, options: options, progress: child)
        let layout = LayoutResult(positions: fit.embedding, knn: fit.knn, seconds: Date().timeIntervalSince(start), summary: [:])
        return try score(layout, selection, high: input, child)
      }
    }
    let varying = axes.map(\.name)
    let by = invocation.string("by") ?? "gain"
    let bestIndex = outcome.best { by == "trust" ? $0.trust : $0.maxGain }
    try showResults(outcome, varying: varying, best: bestIndex, by: by, stage: stage, invocation: invocation, context: context)
    if outcome.interrupted { throw CancellationError() }
    if invocation.string("pick") == "best", let bestIndex {
      let winner = outcome.items[bestIndex].parameters
      let verb = stage == .layout ? "layout umap " : "select "
      let text = verb + winner.values.keys.sorted().map { "\($0)=\(winner.values[$0] ?? "")" }.joined(separator: " ")
      try context.withProgress(stage.rawValue) { progress in
        try session.run(stage, parameters: winner, command: text, progress: progress)
      }
      context.write("picked \(Self.label(winner, varying)) (best \(by)); the \(stage.rawValue) stage is set to it\n")
    }
    return .none
  }

  /// What one combination scored.
  struct SweepScore {
    var layout: LayoutResult
    var selection: LatentSelection
    var maxGain: Double
    var argmax: Double
    var trust: Double
  }

  func showResults(_ outcome: SweepOutcome<SweepScore>, varying: [String], best: Int?, by: String, stage: Stage,
                   invocation: Invocation, context: CommandContext) throws {
    let aspect = Float(LayoutStage.aspectValue(outcome.items.first?.parameters.values["aspect"]))
    var items: [ContactSheet.Item] = []
    for item in outcome.items {
      guard let s = item.value else { continue }
      let layout = try NormalizedLayout(raw: s.layout.points, aspect: aspect, clipPercentiles: (1, 99), margin: 0.04)
      items.append(ContactSheet.Item(map: CaptionMap.pointsOnly(layout: layout, activations: s.selection.activations),
                                     label: Self.label(item.parameters, varying) + String(format: " · gain %.3f", s.maxGain)))
    }
    if !items.isEmpty {
      let png = try ContactSheet.render(items, columns: invocation.int("columns") ?? 4, cellWidth: 300,
                                        title: "Sweep of \(stage.rawValue): \(varying.joined(separator: ", "))")
      context.display(Figure(png: Data(png.data), width: png.width, height: png.height,
                             description: "Contact sheet of \(items.count) layouts",
                             parameters: ["varying": varying.joined(separator: ","), "combinations": String(outcome.items.count)]))
    }
    var order = Array(outcome.items.indices)
    order.sort { a, b in
      let x = outcome.items[a].value, y = outcome.items[b].value
      switch (x, y) {
      case let (x?, y?):
        let sx = by == "trust" ? x.trust : x.maxGain, sy = by == "trust" ? y.trust : y.maxGain
        return sx != sy ? sx > sy : a < b
      case (_?, nil): return true
      case (nil, _?): return false
      default: return a < b
      }
    }
    let reproducible = context.session.reproducibleOutputs
    let rows = order.map { i -> [String] in
      let item = outcome.items[i]
      let values = varying.map { item.parameters.values[$0] ?? "" }
      guard let s = item.value else { return values + ["", "", "", item.status.rawValue, ""] }
      return values + [String(format: "%.4f", s.maxGain), Value.format(s.argmax * 100) + "%", String(format: "%.4f", s.trust),
                       reproducible ? "" : String(format: "%.2f s", item.elapsed), i == best ? "◀ best" : ""]
    }
    var footer = "\(outcome.finishedCount) of \(outcome.items.count) combinations finished; sorted by \(by == "trust" ? "trustworthiness" : "max gain")"
    if outcome.interrupted { footer += "; interrupted — finished layouts are cached, run the sweep again to complete it" }
    context.display(Table(columns: varying + ["max gain", "at k", "trustworthiness", "time", ""], rows: rows,
                          title: "Sweep results", numericColumns: Set(varying.count..<(varying.count + 4)), footer: footer))
  }

  static func label(_ parameters: StageParameters, _ varying: [String]) -> String {
    varying.map { "\($0)=\(parameters.values[$0] ?? "")" }.joined(separator: " ")
  }

  /// The free options as sweep axes, each value checked against the stage option's kind.
  static func axes(_ invocation: Invocation, stage: Stage, options: [OptionSpec]) throws -> [(name: String, values: [String])] {
    try invocation.freeOptions.map { free in
      guard let option = options.first(where: { $0.name == free.key }) else {
        throw CommandError(.badOption, "\(stage.rawValue) has no option '\(free.key)'" + EditDistance.hint(for: free.key, among: options.map(\.name)),
                           at: free.keyPosition)
      }
      let texts: [String]
      do { texts = try SweepGrid.values(free.text, option: free.key, limit: 200) } catch let e as VistaError {
        throw CommandError(.badValue, "option \(free.key): \(e.message)", at: free.position)
      }
      let values = try texts.map { text -> String in
        guard let v = option.kind.accept(Value.parse(text)) else {
          throw CommandError(.badValue, "option \(free.key) expects \(option.kind.expected), got '\(text)'", at: free.position)
        }
        return v.description
      }
      return (free.key, values)
    }
  }
}
