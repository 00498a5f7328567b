import Foundation

/// Where commands write files (`export layout x.csv`, `render plan out=…`, `save recipe …`): a relative path goes
/// into the session's output folder when `vista run --out DIR` set one, else the kernel's working directory.
/// Input paths (`load`, `codes load`, `activations load`) always resolve against the working directory.
extension CommandContext {
  func outputURL(_ path: String) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    if !expanded.hasPrefix("/"), let folder = session.outputDirectory {
      return URL(fileURLWithPath: (folder.path as NSString).appendingPathComponent(expanded)).standardizedFileURL
    }
    return URL(fileURLWithPath: LoadCommand.absolutePath(path))
  }

  /// A written file as shown in messages: relative to the output folder when inside it (so a headless run's
  /// outputs do not depend on where DIR is), else its absolute path.
  func shownPath(_ url: URL) -> String {
    guard let folder = session.outputDirectory?.standardizedFileURL.path else { return url.path }
    let path = url.standardizedFileURL.path
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}
