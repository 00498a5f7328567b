import Foundation
import VistaCore
import VistaMap
import VistaRender

/// `render plan steps=100 window=128 stride=64 [out=PATH]`: the MultiDiffusion plan as a JSON file.
struct RenderPlanCommand: Command {
  static let stageOptions: [OptionSpec] = [
    OptionSpec("steps", .integer(min: 1, max: 10_000), default: "100", "diffusion steps; each window gets a caption per step"),
    OptionSpec("window", .integer(min: 1), default: "128", "window side in latent units (128 = 1024 px with an 8x VAE)"),
    OptionSpec("stride", .integer(min: 1), default: "64", "window stride in latent units (half the window: tent masks sum to 1)"),
    OptionSpec("tile_pixels", .integer(min: 8), default: "512", "pixels per map tile side (32 tiles x 512 = 16,384 px)"),
    OptionSpec("min_points", .integer(min: 1), default: "4", "fewest points a window's caption pool, and each cluster in it, must hold"),
    OptionSpec("seed", .integer(min: 0), "random seed for the caption schedule (default: the session's)"),
  ]

  let spec = CommandSpec(
    ["render", "plan"], group: .render, summary: "Make the MultiDiffusion render plan (windows and per-step captions) as JSON",
    options: RenderPlanCommand.stageOptions + [OptionSpec("out", .path, default: "render-plan.json", "where to write the plan")],
    details: "Each window is conditioned at each step on a different caption of its region (semantic smoothing); format `vista.render-plan` version 1.",
    examples: ["render plan", "render plan steps=50 window=64 stride=32 out=plan.json"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    _ = try PreviewCommand.currentMap(context)
    let parameters = invocation.canonicalOptions(RenderPlanCommand.stageOptions.map(\.name))
    let record = try context.runStage(.plan, parameters, invocation: invocation, title: "render plan")
    let plan = try context.session.require(.plan, as: RenderPlan.self)
    let out = context.outputURL(invocation.string("out") ?? "render-plan.json")
    try Self.write(plan, to: out)
    var rows = [
      ["canvas", "\(plan.canvas.width) x \(plan.canvas.height) px (latent \(plan.canvas.latentWidth) x \(plan.canvas.latentHeight))"],
      ["windows", "\(plan.windows.count) of \(plan.windowing.size) latent units, stride \(plan.windowing.stride)"],
      ["steps", String(plan.model.steps)], ["captions used", String(plan.captions.count)], ["file", context.shownPath(out)],
    ]
    if !context.session.reproducibleOutputs { rows.append(["time", record.provenance]) }
    context.display(Table(columns: ["render plan", "value"], rows: rows, title: "Render plan"))
    return .none
  }

  static func write(_ plan: RenderPlan, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try encoder.encode(plan).write(to: url, options: .atomic)
    } catch {
      throw VistaError("cannot write the render plan: \(error.localizedDescription)", at: url.path)
    }
  }
}

/// `render plan preview step=N`: which caption each window uses at step N, drawn over the map.
struct RenderPlanPreviewCommand: Command {
  let spec = CommandSpec(
    ["render", "plan", "preview"], group: .render, summary: "Draw the plan's windows and the caption each uses at one step",
    options: [OptionSpec("step", .integer(min: 0), default: "0", "the step to show (0-based)"),
              OptionSpec("width", .integer(min: 200, max: 8000), default: "1600", "image width in pixels")],
    examples: ["render plan preview step=10"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let plan = try context.fresh(.plan, as: RenderPlan.self, title: "render plan")
    let map = try context.fresh(.map, as: CaptionMap.self, title: "map")
    let step = invocation.int("step") ?? 0
    guard step < plan.schedule.count else {
      throw invocation.badValue("step", "the plan has \(plan.schedule.count) steps (0…\(plan.schedule.count - 1))")
    }
    let png = try PlanPreview.render(plan: plan, map: map, step: step, width: invocation.int("width") ?? 1600)
    context.display(Figure(png: Data(png.data), width: png.width, height: png.height,
                           description: "Render plan step \(step): \(plan.windows.count) windows and their captions",
                           parameters: ["step": String(step), "windows": String(plan.windows.count), "steps": String(plan.model.steps)]))
    context.session.recordOutputCommand(invocation.text, requires: .plan)
    return .none
  }
}
