import Foundation
import VistaCore
import ZIPFoundation

/// The caption sets VISTA knows by name.
public enum Datasets {
  /// The embedded default: 21,844 ImageNet-21k category definitions (WordNet glosses), offline.
  /// Ids are synset ids (`n02885233`); metadata columns `lemma` and `lexfile` (noun.animal, noun.artifact, ...).
  /// See Resources/PROVENANCE.md for source and licences.
  public static func demo() throws -> CaptionSet {
    guard let url = Bundle.module.url(forResource: "imagenet21k-captions", withExtension: "zip", subdirectory: "Resources")
      ?? Bundle.module.url(forResource: "imagenet21k-captions", withExtension: "zip")
    else { throw VistaError("the embedded demo captions are missing from the VistaData resource bundle", at: "demo") }
    let archive: Archive
    do {
      archive = try Archive(url: url, accessMode: .read)
    } catch {
      throw VistaError("cannot open the embedded demo captions: \(error)", at: url.path)
    }
    guard let entry = archive["imagenet21k-captions.tsv"] else {
      throw VistaError("imagenet21k-captions.tsv missing inside the demo archive", at: url.path)
    }
    var data = Data()
    _ = try archive.extract(entry) { data.append($0) }
    var set = try CaptionLoader.parse(data, name: "imagenet21k-captions.tsv", format: .tsv, options: CaptionLoadOptions(captionColumn: "caption", idColumn: "id"))
    set.source = "demo"
    return set
  }

  /// WordNet 3.0 glosses and their quoted example sentences (about 160k texts) from Debian's `wordnet-base`.
  /// Metadata: `lexfile` (noun.animal, verb.motion, ...), `pos` (noun/verb/adj/adv), `kind` (gloss/example),
  /// `lemma` (the synset's first word). Ids are `<pos>.<offset>` for glosses and `<pos>.<offset>.ex<k>` for examples.
  public static func wordnet(root: String = "/usr/share/wordnet", includeExamples: Bool = true, progress: VistaCore.Progress = .none) throws -> CaptionSet {
    try WordNetReader(root: root).read(includeExamples: includeExamples, progress: progress)
  }
}
