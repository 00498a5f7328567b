import Foundation
import VistaCore
import XCTest

@testable import VistaData

final class ArtifactCacheSerializationTests: XCTestCase {
  func testMatrixAndSparseMatrixRoundTrip() throws {
    var generator = SeededGenerator(seed: 3)
    let storage = (0..<(37 * 11)).map { _ in Float.random(in: -2...2, using: &generator) }
    let matrix = Matrix(rows: 37, cols: 11, storage: storage)
    XCTAssertEqual(try ArtifactSerialization.decodeMatrix(ArtifactSerialization.encode(matrix)), matrix)

    var dense = matrix
    for i in dense.storage.indices where dense.storage[i] < 0.5 { dense.storage[i] = 0 }
    let sparse = SparseMatrix(dense: dense)
    XCTAssertGreaterThan(sparse.nonZeroCount, 0)
    XCTAssertEqual(try ArtifactSerialization.decodeSparseMatrix(ArtifactSerialization.encode(sparse)), sparse)
  }

  func testArraysAndStringsRoundTrip() throws {
    let strings = ["", "café", "line\nbreak", "🙂 emoji", String(repeating: "x", count: 1000)]
    XCTAssertEqual(try ArtifactSerialization.decodeStrings(ArtifactSerialization.encode(strings)), strings)
    let ints = [0, -1, Int(Int32.max) + 5, -42]
    XCTAssertEqual(try ArtifactSerialization.decodeInts(ArtifactSerialization.encode(ints)), ints)
    let floats: [Float] = [0, -0.5, .infinity, 1e-30]
    XCTAssertEqual(try ArtifactSerialization.decodeFloats(ArtifactSerialization.encode(floats)), floats)
  }

  func testTruncatedOrMistypedPayloadsThrow() {
    let data = ArtifactSerialization.encode(Matrix(rows: 4, cols: 4))
    XCTAssertThrowsError(try ArtifactSerialization.decodeMatrix(data.prefix(data.count - 3)))
    XCTAssertThrowsError(try ArtifactSerialization.decodeMatrix(data + Data([0])))
    // A float array read as strings claims impossible lengths rather than crashing.
    XCTAssertThrowsError(try ArtifactSerialization.decodeStrings(ArtifactSerialization.encode([Float](repeating: 1e30, count: 8))))
    // A row-pointer table that disagrees with the values is refused.
    var writer = BinaryWriter()
    writer.write(2); writer.write(3); writer.write([0, 1, 5]); writer.write([Int32(0)]); writer.write([Float(1)])
    XCTAssertThrowsError(try ArtifactSerialization.decodeSparseMatrix(writer.data))
  }

  func testCodableGoesThroughSortedJSON() throws {
    struct Meta: Codable, Equatable { var b: Int; var a: String }
    let data = try ArtifactSerialization.encodeCodable(Meta(b: 2, a: "x"))
    XCTAssertEqual(String(decoding: data, as: UTF8.self), #"{"a":"x","b":2}"#)
    XCTAssertEqual(try ArtifactSerialization.decodeCodable(Meta.self, from: data), Meta(b: 2, a: "x"))
  }
}
