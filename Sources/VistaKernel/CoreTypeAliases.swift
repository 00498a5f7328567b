import VistaCore

/// VistaCore's `Progress` and `CancellationError`, named unambiguously for the whole module
/// (Foundation and the Swift concurrency library declare types with the same names).
public typealias Progress = VistaCore.Progress
public typealias CancellationError = VistaCore.CancellationError
