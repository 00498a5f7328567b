import Foundation

extension Invocation {
  /// The absolute path of the input named by argument or option `name` and a stamp of its contents
  /// for cache keys, failing at the argument's position when it is missing or of the wrong kind.
  ///
  /// - Parameters:
  ///   - what: how errors name it ("caption file", "SAE file or folder").
  ///   - allowFolder: a folder is accepted (an SAELens folder); its stamp covers the files in it, so
  ///     rewriting `sae_weights.safetensors` in place is seen.
  func existingInput(_ name: String, what: String, allowFolder: Bool = false) throws -> (path: String, stamp: String) {
    let given = string(name) ?? ""
    let path = LoadCommand.absolutePath(given)
    let position = argumentPositions[name] ?? optionPositions[name]
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw CommandError(.badValue, "no such \(what): \(given)", at: position)
    }
    if isFolder.boolValue && !allowFolder {
      throw CommandError(.badValue, "the \(what) is a folder: \(given)", at: position)
    }
    let stamp = isFolder.boolValue ? Self.folderStamp(path) : DatasetStage.stamp(path)
    guard let stamp else { throw CommandError(.badValue, "cannot read the \(what): \(given)", at: position) }
    return (path, stamp)
  }

  /// The stamps of the files directly in a folder, by name.
  private static func folderStamp(_ path: String) -> String? {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
    return names.sorted().compactMap { name in
      DatasetStage.stamp((path as NSString).appendingPathComponent(name)).map { "\(name)=\($0)" }
    }.joined(separator: ";")
  }
}
