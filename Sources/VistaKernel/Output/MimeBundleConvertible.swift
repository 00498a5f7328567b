import JupyterKernel

/// Anything a command can show: a table, a figure, a plain bundle.
public protocol MimeBundleConvertible {
  var bundle: MimeBundle { get }
}

extension Table: MimeBundleConvertible {}
extension Figure: MimeBundleConvertible {}
extension MimeBundle: MimeBundleConvertible {
  public var bundle: MimeBundle { self }
}

extension CommandContext {
  public func display(_ output: MimeBundleConvertible) { display(output.bundle, id: nil) }
}
