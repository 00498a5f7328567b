// Render benchmarks: map build, preview of 4,000 points, atlas tile throughput, explorer page size.
// Prints one JSON object; bench/render/run.sh sets it beside datamapplot's figures.
import Foundation
import VistaCore
import VistaMap
import VistaRender

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
func time(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
  var t: [Double] = []
  for _ in 0..<runs { let t0 = Date(); try body(); t.append(Date().timeIntervalSince(t0)) }
  return median(t)
}

let folderArgument = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("--") }
let out = URL(fileURLWithPath: folderArgument ?? "/tmp/vista-bench-render")
try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
let sample = MapSample.make(count: 4000, clusters: 12, seed: 7)
var options = MapOptions()
var map = try CaptionMap.build(positions: sample.positions, captions: sample.captions, activations: sample.activations, options: options)
let buildSeconds = try time(5) {
  map = try CaptionMap.build(positions: sample.positions, captions: sample.captions, activations: sample.activations, options: options)
}
var style = MapStyle()
style.title = "4,000 captions · synthetic latent"
var png = try MapPreview.render(map, width: 1600, style: style)
let previewSeconds = try time(11) { png = try MapPreview.render(map, width: 1600, style: style) }
try Data(png.data).write(to: out.appendingPathComponent("preview.png"))
// Where the preview's time goes: drawing versus PNG encoding.
let drawSeconds = try time(11) {
  let canvas = try CairoCanvas(width: 1600, height: 900, background: RGBA(hex: 0xF7F5F0))
  MapPainter(map: map, style: style).draw(on: canvas, rect: SIMD4(0, 0, 1600, 900))
}
// Per layer.
var layerSeconds: [String: Double] = [:]
let painter = MapPainter(map: map, style: style)
let rect = SIMD4<Double>(0, 0, 1600, 900)
for (name, layer) in [("regions", { (c: CairoCanvas) in painter.drawRegions(on: c, rect: rect) }),
                      ("connections", { (c: CairoCanvas) in painter.drawConnections(on: c, rect: rect) }),
                      ("points", { (c: CairoCanvas) in painter.drawPoints(on: c, rect: rect) }),
                      ("labels", { (c: CairoCanvas) in _ = painter.drawLabels(on: c, rect: rect) })] {
  let canvas = try CairoCanvas(width: 1600, height: 900, background: RGBA(hex: 0xF7F5F0))
  layerSeconds[name] = time(7) { layer(canvas) }
}
let encodeCanvas = try CairoCanvas(width: 1600, height: 900, background: RGBA(hex: 0xF7F5F0))
MapPainter(map: map, style: style).draw(on: encodeCanvas, rect: SIMD4(0, 0, 1600, 900))
let encodeSeconds = try time(11) { _ = try encodeCanvas.png() }
var gridStyle = style
gridStyle.tileGrid = true
let previewGridSeconds = try time(11) { _ = try MapPreview.render(map, width: 1600, style: gridStyle) }

// Atlas: full-resolution tiles of the 16k x 9k panorama (the deepest level holds 64 x 36 = 2,304 tiles).
let atlas = try AtlasRenderer(map: map, options: AtlasOptions())
let deepest = atlas.manifest.levels.last!
var tiles: [(Int, Int)] = []
for y in stride(from: 0, to: deepest.rows, by: 3) { for x in stride(from: 0, to: deepest.columns, by: 4) { tiles.append((x, y)) } }
var bytes = 0
let t0 = Date()
for (x, y) in tiles { bytes += try atlas.renderTile(level: deepest.level, x: x, y: y).data.count }
let tileSeconds = Date().timeIntervalSince(t0) / Double(tiles.count)
// A whole small pyramid (4096 px wide) written to disk.
var small = AtlasOptions()
small.width = 4096
let smallAtlas = try AtlasRenderer(map: map, options: small)
let pyramidStart = Date()  // written on all cores
try smallAtlas.write(to: out.appendingPathComponent("atlas-4096"))
let pyramidSeconds = Date().timeIntervalSince(pyramidStart)

// With --full-atlas: write the whole 16,384 x 9,216 pyramid on all cores (measured, not estimated).
var fullAtlasSeconds = -1.0
if CommandLine.arguments.contains("--full-atlas") {
  let start = Date()
  try atlas.write(to: out.appendingPathComponent("atlas-16k"))
  fullAtlasSeconds = Date().timeIntervalSince(start)
}

var html = ""
let explorerSeconds = try time(5) { html = try ExplorerPage.document(map: map) }
try html.write(to: out.appendingPathComponent("explorer.html"), atomically: true, encoding: .utf8)
var planOptions = RenderPlanOptions()
var plan = try RenderPlanner.plan(map: map, latents: sample.latents, options: planOptions)
let planSeconds = try time(5) { plan = try RenderPlanner.plan(map: map, latents: sample.latents, options: planOptions) }
let planJSON = try JSONEncoder().encode(plan)
try planJSON.write(to: out.appendingPathComponent("plan.json"))

// Inputs for the peer: the same raw layout coordinates and each point's coarse label text.
let labelText = Dictionary(uniqueKeysWithValues: map.labels.filter { $0.level == 0 }.map { ($0.cluster, $0.text) })
let peer: [String: Any] = [
  "x": sample.positions.map { Double($0.x) }, "y": sample.positions.map { Double($0.y) },
  "label": map.clusters.coarse.map { labelText[$0] ?? "Unlabelled" }, "activation": map.activations.map(Double.init),
]
try JSONSerialization.data(withJSONObject: peer).write(to: out.appendingPathComponent("peer-input.json"))

let result: [String: Any] = [
  "points": map.count, "regions": map.regions.count, "fine_clusters": map.clusters.fineCount,
  "map_build_s": buildSeconds, "preview_1600_s": previewSeconds, "preview_1600_grid_s": previewGridSeconds,
  "preview_png_bytes": png.data.count, "preview_layers_s": layerSeconds, "preview_draw_s": drawSeconds, "preview_png_encode_s": encodeSeconds,
  "atlas_16k_tile_s": tileSeconds, "atlas_16k_tiles_per_s": 1 / tileSeconds, "atlas_16k_tiles_sampled": tiles.count,
  "atlas_16k_total_tiles": atlas.manifest.tileCount, "atlas_16k_estimated_s": tileSeconds * Double(atlas.manifest.tileCount),
  "atlas_4096_pyramid_s": pyramidSeconds, "atlas_16k_written_s": fullAtlasSeconds, "atlas_4096_tiles": smallAtlas.manifest.tileCount,
  "explorer_s": explorerSeconds, "explorer_bytes": html.utf8.count,
  "plan_s": planSeconds, "plan_windows": plan.windows.count, "plan_json_bytes": planJSON.count,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
