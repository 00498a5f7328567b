import Foundation
import VistaCore

/// The `.safetensors` format: an 8-byte little-endian header length, a JSON header
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`, then raw data.
public enum Safetensors {
  /// A file's tensors (in data-offset order) and its string metadata.
  public struct File: Sendable {
    public var tensors: [Tensor]
    public var metadata: [String: String]

    /// The tensor called `name`; a wrong name is an error suggesting the closest.
    public func tensor(_ name: String) throws -> Tensor {
      if let t = tensors.first(where: { $0.name == name }) { return t }
      throw VistaError("no tensor \"\(name)\"" + NameSuggestion.hint(for: name, in: tensors.map(\.name), noun: "tensors"), at: origin)
    }

    public func contains(_ name: String) -> Bool { tensors.contains { $0.name == name } }

    var origin: String
  }

  /// Reads a `.safetensors` file (memory-mapped); `only` limits which tensors are copied out.
  public static func read(_ url: URL, only names: Set<String>? = nil) throws -> File {
    try decode(NPY.mapped(url), origin: url.lastPathComponent, only: names)
  }

  public static func decode(_ data: Data, origin: String, only names: Set<String>? = nil) throws -> File {
    let base = data.startIndex
    guard data.count >= 8 else { throw VistaError("not a .safetensors file (shorter than its 8-byte header length)", at: origin) }
    let headerLength = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[base + $1]) << (8 * UInt64($1)) }
    guard headerLength <= UInt64(data.count - 8) else {
      throw VistaError("truncated file: header length \(headerLength) exceeds the \(data.count - 8) bytes present", at: origin)
    }
    let headerData = data[(base + 8)..<(base + 8 + Int(headerLength))]
    guard let header = try? JSONSerialization.jsonObject(with: Data(headerData)) as? [String: Any] else {
      throw VistaError("malformed .safetensors JSON header", at: origin)
    }
    let dataStart = 8 + Int(headerLength)
    let available = data.count - dataStart
    var metadata: [String: String] = [:]
    var entries: [(begin: Int, tensor: Tensor)] = []
    for (name, value) in header {
      if name == "__metadata__" {
        for (k, v) in (value as? [String: Any]) ?? [:] { metadata[k] = v as? String ?? "\(v)" }
        continue
      }
      let where_ = "\(origin):\(name)"
      guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
        let shapeValues = info["shape"] as? [NSNumber], let offsets = info["data_offsets"] as? [NSNumber], offsets.count == 2
      else { throw VistaError("malformed header entry", at: where_) }
      guard let dtype = TensorDType(safetensorsName: dtypeName) else {
        throw VistaError("unsupported dtype \(dtypeName) (VISTA reads F16, BF16, F32, F64, I32, I64)", at: where_)
      }
      let shape = shapeValues.map(\.intValue)
      let begin = offsets[0].intValue, end = offsets[1].intValue
      let expected = shape.reduce(1, *) * dtype.byteSize
      guard end - begin == expected else {
        throw VistaError("shape \(shape) of \(dtypeName) needs \(expected) bytes but data_offsets span \(end - begin)", at: where_)
      }
      guard begin >= 0, end <= available else {
        throw VistaError("truncated file: the header says this tensor ends at byte \(end) of the data, only \(available) are present", at: where_)
      }
      if let names, !names.contains(name) { continue }
      let bytes = data[(base + dataStart + begin)..<(base + dataStart + end)]  // a slice of the mapping, not a copy
      entries.append((begin, Tensor(name: name, shape: shape, dtype: dtype, bytes: bytes, origin: where_)))
    }
    entries.sort { $0.begin < $1.begin }
    return File(tensors: entries.map(\.tensor), metadata: metadata, origin: origin)
  }

  /// Encodes tensors (stored in the given order) with optional string metadata.
  public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) throws -> Data {
    var header: [String: Any] = [:]
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var offset = 0
    var seen = Set<String>()
    for t in tensors {
      guard seen.insert(t.name).inserted else { throw VistaError("tensor name \"\(t.name)\" used twice", at: t.origin) }
      header[t.name] = ["dtype": t.dtype.safetensorsName, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]] as [String: Any]
      offset += t.bytes.count
    }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    // Pad the header with spaces to an 8-byte boundary, as the reference writer does.
    while json.count % 8 != 0 { json.append(0x20) }
    var out = Data()
    var length = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
    out.append(json)
    for t in tensors { out.append(t.bytes) }
    return out
  }

  /// Writes tensors as `.safetensors`, atomically.
  public static func write(_ tensors: [Tensor], metadata: [String: String] = [:], to url: URL) throws {
    try encode(tensors, metadata: metadata).write(to: url, options: .atomic)
  }
}
