import VistaCore
import VistaMap

/// `render plan steps=100 window=… stride=…`: the MultiDiffusion plan over the map's canvas.
enum PlanStage {
  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> RenderPlan {
    let p = ParameterReader(parameters, .plan)
    let map = try session.require(.map, as: CaptionMap.self)
    var options = RenderPlanOptions()
    options.steps = try p.int("steps", default: options.steps)
    options.window = try p.int("window", default: options.window)
    options.stride = try p.int("stride", default: options.stride)
    options.tilePixels = try p.int("tile_pixels", default: options.tilePixels)
    options.minimumPoints = try p.int("min_points", default: options.minimumPoints)
    options.seed = try p.seed(session)
    let codes = session.result(.codes, as: SparseMatrix.self)
    let selection = session.result(.selection, as: LatentSelection.self)
    let latents = selection.flatMap { s in codes.map { $0.selectingRows(s.rows) } }
    var provenance = ["seed": String(options.seed)]
    if let layout = session.result(.layout, as: LayoutResult.self) {
      for (k, v) in layout.summary { provenance["layout." + k] = v }
    }
    try progress.checkCancelled()
    return try RenderPlanner.plan(map: map, latents: latents, options: options, provenance: provenance)
  }
}
