import Foundation

/// VISTA's home folder: the disk cache (`cache/`) and the downloaded models (`models/`) live under it.
public enum VistaHome {
  /// `$VISTA_HOME` (with a leading `~` expanded) when set and non-empty, else `$HOME/.cache/vista`
  /// (the user's home directory when `HOME` is unset or empty).
  public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let vistaHome = environment["VISTA_HOME"], !vistaHome.isEmpty {
      return URL(fileURLWithPath: (vistaHome as NSString).expandingTildeInPath, isDirectory: true)
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/vista", isDirectory: true)
  }
}
