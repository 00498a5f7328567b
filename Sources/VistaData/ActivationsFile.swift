import Foundation
import VistaCore

/// An activations file as the kernel's `activations load` and the `vista sae` / `vista encode`
/// commands read and write it: a .npy (caption offsets in an `X.offsets.npy` sidecar) or a
/// .safetensors (offsets in its `caption_offsets` tensor).
public enum ActivationsFile {
  /// The activations tensor of `path` and the caption offsets found with it: the `caption_offsets` tensor of a
  /// .safetensors, or the `X.offsets.npy` sidecar of an `X.npy` (both as `vista encode --tokens` writes them).
  /// - Parameters:
  ///   - tensor: the tensor to take from a .safetensors (default "states", else its only 2-D tensor).
  ///   - option: how the caller spells the tensor option (`tensor` in the kernel, `--tensor` on the command line),
  ///     for error messages.
  /// - Returns: the tensor, the offsets (nil if none) and where they came from, for error messages.
  public static func read(_ path: String, tensor tensorName: String?, option: String)
    throws -> (tensor: Tensor, offsets: [Int]?, offsetsOrigin: String) {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: path) else { throw VistaError("no such file", at: path) }
    switch url.pathExtension.lowercased() {
    case "npy":
      guard tensorName == nil else { throw VistaError("\(option) names a tensor inside a .safetensors file; a .npy holds one array", at: url.lastPathComponent) }
      let sidecar = offsetsSidecar(for: url)
      let offsets = FileManager.default.fileExists(atPath: sidecar.path) ? try NPY.read(sidecar).integers() : nil
      return (try NPY.read(url), offsets, sidecar.lastPathComponent)
    case "safetensors":
      let file = try Safetensors.read(url)
      let chosen: Tensor
      if let tensorName {
        chosen = try file.tensor(tensorName)
      } else if file.contains("states") {
        chosen = try file.tensor("states")
      } else {
        let matrices = file.tensors.filter { $0.shape.count == 2 }
        guard matrices.count == 1 else {
          throw VistaError("name the activations tensor with \(option)=NAME (2-D tensors: \(matrices.map(\.name).joined(separator: ", ")))",
                           at: url.lastPathComponent)
        }
        chosen = matrices[0]
      }
      let offsets = file.contains("caption_offsets") ? try file.tensor("caption_offsets").integers() : nil
      return (chosen, offsets, "\(url.lastPathComponent) (caption_offsets)")
    default:
      throw VistaError("activations must be a .npy or .safetensors file", at: url.lastPathComponent)
    }
  }

  /// `X.offsets.npy` for `X.npy`: where `vista encode --tokens --out X.npy` writes the caption offsets.
  public static func offsetsSidecar(for url: URL) -> URL {
    url.deletingPathExtension().appendingPathExtension("offsets.npy")
  }
}
