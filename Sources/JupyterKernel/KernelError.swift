/// A configuration or start-up problem of the kernel, naming what is wrong and where.
public struct KernelError: Error, CustomStringConvertible, Equatable {
  public var message: String
  public var location: String?
  public init(_ message: String, at location: String? = nil) {
    self.message = message
    self.location = location
  }
  public var description: String { location.map { "\($0): \(message)" } ?? message }
}
