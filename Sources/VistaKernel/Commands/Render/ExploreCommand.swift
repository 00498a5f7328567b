import Foundation
import VistaCore
import JupyterKernel
import VistaData
import VistaMap
import VistaRender

/// `explore`: the interactive explorer as one self-contained HTML output.
struct ExploreCommand: Command {
  let spec = CommandSpec(
    ["explore"], group: .render, summary: "Open the interactive explorer: pan, zoom, hover, search, select (sent back to the kernel)",
    options: [OptionSpec("color", .text, default: "activation", "`activation` or a metadata column")],
    details: "Works offline and in saved notebooks. A selection is sent over the `vista.explorer` comm; `captions selection` lists it.",
    examples: ["explore", "explore color=lexfile"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let (map, options) = try Self.page(invocation, context, basePath: nil)
    let html = try ExplorerPage.fragment(map: map, options: options)
    context.display(MimeBundle(data: [
      "text/html": .string(html),
      "text/plain": .string("<VISTA explorer: \(map.count) captions; open in JupyterLab or export with `export explorer PATH`>"),
    ], metadata: ["vista": ["points": .int(map.count)]]))
    context.session.recordOutputCommand(invocation.text, requires: .map)
    return .none
  }

  /// The map and the explorer options (kernel id, stable ids = dataset rows, colouring, atlas when rendered).
  static func page(_ invocation: Invocation, _ context: CommandContext, basePath: String?) throws -> (CaptionMap, ExplorerOptions) {
    let map = try PreviewCommand.currentMap(context)
    let selection = try context.session.require(.selection, as: LatentSelection.self)
    var options = ExplorerOptions()
    options.kernelId = context.state.kernelID
    options.pointIds = selection.rows
    options.title = "VISTA map · latent \(selection.latent) · \(map.count) captions"
    if context.session.reproducibleOutputs { options.instanceId = "vista-explorer-\(selection.latent)" }
    if let color = invocation.string("color"), color != "activation" {
      let captions = try context.session.require(.dataset, as: CaptionSet.self)
      guard let column = captions.metadata[color] else {
        throw invocation.badValue("color", "no column '\(color)'" + EditDistance.hint(for: color, among: captions.metadataColumns))
      }
      options.category = (color, selection.rows.map { column[$0] })
    }
    if let atlas = context.state.atlasDirectory {
      options.atlas = try? ExplorerAtlas.load(directory: atlas, basePath: basePath ?? atlas.lastPathComponent)
    }
    return (map, options)
  }
}

/// `export explorer PATH`: the explorer as a standalone HTML file (with the atlas folder beside it).
struct ExportExplorerCommand: Command {
  let spec = CommandSpec(
    ["export", "explorer"], group: .render, summary: "Write the explorer as a standalone HTML file",
    arguments: [ArgumentSpec("PATH", .path, "the .html file to write")],
    options: [OptionSpec("color", .text, default: "activation", "`activation` or a metadata column")],
    examples: ["export explorer map.html"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let url = context.outputURL(invocation.string("PATH") ?? "explorer.html")
    let folder = url.deletingLastPathComponent()
    var basePath: String?
    if let atlas = context.state.atlasDirectory {
      let target = folder.appendingPathComponent(atlas.lastPathComponent)
      if target.standardizedFileURL != atlas.standardizedFileURL {
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: atlas, to: target)
      }
      basePath = atlas.lastPathComponent
    }
    let (map, options) = try ExploreCommand.page(invocation, context, basePath: basePath)
    let html = try ExplorerPage.document(map: map, options: options)
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(html.utf8).write(to: url, options: .atomic)
    } catch {
      throw VistaError("cannot write the explorer: \(error.localizedDescription)", at: url.path)
    }
    context.write("wrote \(context.shownPath(url)) (\(html.utf8.count / 1024) KB)\n")
    context.session.recordOutputCommand(invocation.text, requires: .map)
    return .none
  }
}
