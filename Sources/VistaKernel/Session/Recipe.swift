import Foundation
import VistaCore

extension Session {
  /// The first line of every recipe; `vista run` accepts any `.vista` script, this only tells readers what it is.
  public static let recipeHeader = """
    # VISTA recipe: re-run with `vista run THIS.vista --out DIR`
    # One command per configured stage in chain order, then the outputs that were shown.
    """

  /// A plain `.vista` script that reproduces the session: a header comment, one `set` line with the defaults
  /// (sorted), one command per configured stage in chain order, then the recorded output commands.
  ///
  /// The text holds no dates, timings or versions, so the same session always gives the same bytes.
  public func recipe() -> String {
    var lines = [Session.recipeHeader]
    let settings = defaults
    if !settings.isEmpty {
      lines.append(
        "set " + settings.keys.sorted().map { "\($0)=\(StageParameters.quoteIfNeeded(settings[$0] ?? ""))" }
          .joined(separator: " "))
    }
    for record in records {
      lines.append(record.command)
    }
    lines.append(contentsOf: outputCommands)
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes `recipe()` to `url` (atomically), creating the folder if needed, and returns it.
  @discardableResult
  public func saveRecipe(to url: URL) throws -> String {
    let text = recipe()
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url, options: .atomic)
      return text
    } catch {
      throw VistaError("cannot write recipe: \(error.localizedDescription)", at: url.path)
    }
  }
}
