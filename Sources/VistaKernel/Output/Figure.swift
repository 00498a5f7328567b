import Foundation
import JupyterKernel

/// A PNG figure as a MIME bundle: the image (base64), a text/plain description for frontends without
/// images, its pixel size and the parameters that made it in the metadata.
public struct Figure: Sendable {
  public var png: Data
  public var width: Int
  public var height: Int
  public var description: String
  public var parameters: [String: String]

  public init(png: Data, width: Int, height: Int, description: String, parameters: [String: String] = [:]) {
    self.png = png; self.width = width; self.height = height; self.description = description; self.parameters = parameters
  }

  public var bundle: MimeBundle {
    var vista: [String: JSONValue] = [:]
    for (k, v) in parameters { vista[k] = .string(v) }
    let params = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    let text = "<\(description), \(width)x\(height) PNG\(params.isEmpty ? "" : "; " + params)>"
    return MimeBundle(
      data: ["image/png": .string(png.base64EncodedString()), "text/plain": .string(text)],
      metadata: ["image/png": ["width": .int(width), "height": .int(height)], "vista": .object(vista)])
  }
}
