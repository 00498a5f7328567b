import Foundation
import VistaCore
import VistaData

/// How a stage result is stored in the disk cache. A stage without a codec is cached in memory only.
public struct ArtifactCodec<T>: @unchecked Sendable {
  public let encode: (T) throws -> Data
  public let decode: (Data) throws -> T

  public init(encode: @escaping (T) throws -> Data, decode: @escaping (Data) throws -> T) {
    self.encode = encode
    self.decode = decode
  }
}

extension ArtifactCodec where T == Matrix {
  public static var matrix: ArtifactCodec<Matrix> {
    ArtifactCodec(encode: { ArtifactSerialization.encode($0) }, decode: { try ArtifactSerialization.decodeMatrix($0) })
  }
}

extension ArtifactCodec where T == SparseMatrix {
  public static var sparseMatrix: ArtifactCodec<SparseMatrix> {
    ArtifactCodec(
      encode: { ArtifactSerialization.encode($0) }, decode: { try ArtifactSerialization.decodeSparseMatrix($0) })
  }
}

extension ArtifactCodec where T == [Float] {
  public static var floats: ArtifactCodec<[Float]> {
    ArtifactCodec(encode: { ArtifactSerialization.encode($0) }, decode: { try ArtifactSerialization.decodeFloats($0) })
  }
}

extension ArtifactCodec where T == [Int] {
  public static var ints: ArtifactCodec<[Int]> {
    ArtifactCodec(encode: { ArtifactSerialization.encode($0) }, decode: { try ArtifactSerialization.decodeInts($0) })
  }
}

extension ArtifactCodec where T == [String] {
  public static var strings: ArtifactCodec<[String]> {
    ArtifactCodec(encode: { ArtifactSerialization.encode($0) }, decode: { try ArtifactSerialization.decodeStrings($0) })
  }
}

extension ArtifactCodec where T: Codable {
  /// JSON with sorted keys: fine for small results; large arrays deserve a binary codec.
  public static var json: ArtifactCodec<T> {
    ArtifactCodec(
      encode: { try ArtifactSerialization.encodeCodable($0) },
      decode: { try ArtifactSerialization.decodeCodable(T.self, from: $0) })
  }
}

/// A stage's computation, registered once by the command layer.
///
/// The session calls `compute` when the stage is run or found stale; it reads upstream results through
/// `session.result(_:as:)` and must call `progress.checkCancelled()` in long loops. It must not change the
/// session itself: the session stores the returned value.
public struct StageComputation: @unchecked Sendable {
  /// The stages whose fingerprints feed this stage's fingerprint; nil: the nearest configured upstream stage.
  public let inputs: [Stage]?
  /// Session defaults the result depends on (e.g. "seed"): part of the fingerprint, so `set seed=2` makes it stale.
  public let usesDefaults: [String]
  let encode: ((Any) throws -> Data)?
  let decode: ((Data) throws -> Any)?
  let compute: (Session, StageParameters, Progress) throws -> Any

  public init<T>(
    inputs: [Stage]? = nil, usesDefaults: [String] = [], codec: ArtifactCodec<T>?,
    compute: @escaping (Session, StageParameters, Progress) throws -> T
  ) {
    self.inputs = inputs
    self.usesDefaults = usesDefaults
    if let codec {
      self.encode = { value in
        guard let typed = value as? T else { throw VistaError("cache codec got a value of the wrong type") }
        return try codec.encode(typed)
      }
      self.decode = { try codec.decode($0) }
    } else {
      self.encode = nil
      self.decode = nil
    }
    self.compute = { session, parameters, progress in try compute(session, parameters, progress) }
  }
}
