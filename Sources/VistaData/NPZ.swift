import Foundation
import VistaCore
import ZIPFoundation

/// numpy's `.npz`: a zip of `.npy` files (stored or deflated). Entry `W_enc.npy` is tensor `W_enc`.
public enum NPZ {
  /// Reads every array in an `.npz`, in archive order.
  public static func read(_ url: URL) throws -> [Tensor] {
    let archive = try open(url)
    var tensors: [Tensor] = []
    for entry in archive where entry.type == .file && entry.path.hasSuffix(".npy") {
      tensors.append(try extract(entry, from: archive, file: url.lastPathComponent))
    }
    if tensors.isEmpty { throw VistaError("no .npy arrays inside the .npz", at: url.lastPathComponent) }
    return tensors
  }

  /// Reads one named array (`name` without `.npy`); a wrong name suggests the closest one.
  public static func read(_ url: URL, array name: String) throws -> Tensor {
    let archive = try open(url)
    guard let entry = archive["\(name).npy"] else {
      let names = archive.filter { $0.path.hasSuffix(".npy") }.map { String($0.path.dropLast(4)) }
      throw VistaError("no array \"\(name)\"" + NameSuggestion.hint(for: name, in: names, noun: "arrays"), at: url.lastPathComponent)
    }
    return try extract(entry, from: archive, file: url.lastPathComponent)
  }

  /// The array names in an `.npz` without reading the data.
  public static func arrayNames(_ url: URL) throws -> [String] {
    try open(url).filter { $0.path.hasSuffix(".npy") }.map { String($0.path.dropLast(4)) }
  }

  /// Writes tensors as an `.npz` (like `numpy.savez`: stored; `compressed` deflates like `savez_compressed`), atomically.
  public static func write(_ tensors: [Tensor], to url: URL, compressed: Bool = false) throws {
    try write(entries: tensors.map { ($0.name, try NPY.encode($0)) }, to: url, compressed: compressed)
  }

  /// Writes already-encoded `.npy` payloads under `name.npy`.
  static func write(entries: [(name: String, npy: Data)], to url: URL, compressed: Bool) throws {
    let archive: Archive
    do {
      archive = try Archive(data: Data(), accessMode: .create)
    } catch {
      throw VistaError("cannot create zip archive: \(error)", at: url.lastPathComponent)
    }
    for (name, payload) in entries {
      try archive.addEntry(
        with: "\(name).npy", type: .file, uncompressedSize: Int64(payload.count),
        compressionMethod: compressed ? .deflate : .none
      ) { position, size in
        payload.subdata(in: Int(position)..<(Int(position) + size))
      }
    }
    guard let data = archive.data else { throw VistaError("zip archive produced no data", at: url.lastPathComponent) }
    try data.write(to: url, options: .atomic)
  }

  static func open(_ url: URL) throws -> Archive {
    guard FileManager.default.fileExists(atPath: url.path) else { throw VistaError("file not found", at: url.path) }
    do {
      return try Archive(url: url, accessMode: .read)
    } catch {
      throw VistaError("not a readable .npz (zip) archive: \(error)", at: url.lastPathComponent)
    }
  }

  static func extract(_ entry: Entry, from archive: Archive, file: String) throws -> Tensor {
    var data = Data()
    data.reserveCapacity(Int(entry.uncompressedSize))
    do {
      _ = try archive.extract(entry, bufferSize: 1 << 20) { data.append($0) }
    } catch {
      throw VistaError("cannot extract \(entry.path) (corrupt or truncated archive): \(error)", at: file)
    }
    let name = String(entry.path.dropLast(4))
    return try NPY.decode(data, name: name, origin: "\(file):\(name)")
  }
}
