/// An error a researcher can act on: what went wrong and where (a file and line, an option, a column).
public struct VistaError: Error, CustomStringConvertible, Sendable, Equatable {
  public var message: String
  /// Where the problem is, e.g. "captions.tsv:12" or "option min_dist"; empty when not applicable.
  public var location: String

  public init(_ message: String, at location: String = "") {
    self.message = message
    self.location = location
  }

  public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
