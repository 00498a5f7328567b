/// The names of the session's stages, in chain order, as the command language spells them.
enum StageNames {
  static let all = ["dataset", "encoder", "sae", "codes", "selection", "layout", "fidelity", "map", "plan"]
}
