import Foundation
import VistaCore
import VistaData

/// `load`: the captions, from the embedded demo, WordNet or a file.
enum DatasetStage {
  /// Parameters: source (demo | wordnet | a path), caption, id, format, limit, and for files a stamp
  /// (size and modification time) so an edited file is read again.
  static func compute(_ session: Session, _ parameters: StageParameters, _ progress: Progress) throws -> CaptionSet {
    let p = ParameterReader(parameters, .dataset)
    let source = p.string("source", default: "demo")
    var set: CaptionSet
    switch source {
    case "demo":
      set = try Datasets.demo()
    case "wordnet":
      let root = "/usr/share/wordnet"
      guard FileManager.default.fileExists(atPath: root) else {
        throw VistaError("WordNet is not installed; install it with `sudo apt-get install wordnet-base` (Debian/Ubuntu)", at: root)
      }
      set = try Datasets.wordnet(root: root, progress: progress)
    default:
      var options = CaptionLoadOptions()
      options.captionColumn = p.string("caption")
      options.idColumn = p.string("id")
      if let f = p.string("format") { options.format = f == "txt" ? .text : CaptionFormat(rawValue: f) }
      set = try CaptionLoader.load(URL(fileURLWithPath: source), options: options)
    }
    if let limit = p.string("limit"), let n = Int(limit) { set = set.prefix(n) }
    guard !set.isEmpty else { throw VistaError("the dataset has no captions", at: source) }
    return set
  }

  /// Size and modification time of a file: part of the parameters so a changed file is not served from cache.
  static func stamp(_ path: String) -> String? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    return "\(size)-\(Int(modified))"
  }
}
