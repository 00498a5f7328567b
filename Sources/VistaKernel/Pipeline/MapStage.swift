import VistaCore
import VistaData
import VistaLayout
import VistaMap

/// `tiles 32x18 min=4`: the map (tiles, clusters, regions, connections, labels) over the layout.
enum MapStage {
  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> CaptionMap {
    let p = ParameterReader(parameters, .map)
    let captions = try session.require(.dataset, as: CaptionSet.self)
    let selection = try session.require(.selection, as: LatentSelection.self)
    let layout = try session.require(.layout, as: LayoutResult.self)
    var options = MapOptions()
    if case .size(let w, let h)? = try p.value("grid", as: .size) { options.grid = GridSize(columns: w, rows: h) }
    options.minimumTileCount = try p.int("min", default: 4)
    options.seed = try p.seed(session)
    let knn = layout.knn.withSelf(false)
    return try CaptionMap.build(
      positions: layout.points, captions: selection.rows.map { captions.texts[$0] }, activations: selection.activations,
      knn: (knn.indices, knn.k), knnDistances: knn.distances, options: options, progress: progress)
  }
}
