import VistaCore
import VistaData
import VistaMap

/// The computation behind each stage of the chain, registered on a session once.
///
/// Commands only set parameters (`session.run(stage, parameters:)`); everything a stage computes is
/// here, reading its upstream results from the session, so a recipe, a sweep or a cache reload gets
/// the same result as the command that configured it.
enum PipelineStages {
  static func register(on session: Session) {
    session.register(.dataset, StageComputation(inputs: [], codec: nil as ArtifactCodec<VistaData.CaptionSet>?, compute: DatasetStage.compute))
    session.register(.codes, StageComputation(inputs: [.dataset, .encoder, .sae], codec: .sparseMatrix, compute: CodesStage.compute))
    session.register(.selection, StageComputation(inputs: [.codes], codec: .json, compute: SelectionStage.compute))
    session.register(.layout, StageComputation(inputs: [.codes, .selection], usesDefaults: ["seed"], codec: LayoutResult.codec, compute: LayoutStage.compute))
    session.register(.fidelity, StageComputation(inputs: [.codes, .layout], codec: .json, compute: FidelityStage.compute))
    session.register(.map, StageComputation(inputs: [.dataset, .selection, .layout], usesDefaults: ["seed"], codec: nil as ArtifactCodec<VistaMap.CaptionMap>?, compute: MapStage.compute))
    session.register(.plan, StageComputation(inputs: [.map], usesDefaults: ["seed"], codec: .json, compute: PlanStage.compute))
    RepresentationStages.register(on: session)
  }
}
