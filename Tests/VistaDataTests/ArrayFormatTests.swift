import Foundation
import VistaCore
import VistaTestSupport
import XCTest
@testable import VistaData

/// Fixtures come from tools/make-array-fixtures.py (numpy, scipy, safetensors): value(i, j) = i * 10 + j + 0.25.
final class ArrayFormatTests: XCTestCase {
  private func expectedGrid(_ rows: Int, _ cols: Int) -> [Float] {
    (0..<rows).flatMap { i in (0..<cols).map { j in Float(i * 10 + j) + 0.25 } }
  }

  private func arrays(_ name: String) -> URL { Fixtures.url("arrays/\(name)") }

  func testNPYDtypesAndVersions() throws {
    let f16 = try NPY.read(arrays("f16.npy"))
    XCTAssertEqual(f16.dtype, .float16)
    XCTAssertEqual(try f16.matrix(), Matrix(rows: 2, cols: 3, storage: expectedGrid(2, 3)))
    XCTAssertEqual(try NPY.read(arrays("f32.npy")).matrix().storage, expectedGrid(3, 4))
    XCTAssertEqual(try NPY.read(arrays("f64.npy")).matrix().storage, expectedGrid(4, 2))
    XCTAssertEqual(try NPY.read(arrays("f32_v2.npy")).matrix().storage, expectedGrid(3, 4))
    XCTAssertEqual(try NPY.read(arrays("f32_v3.npy")).matrix().storage, expectedGrid(3, 4))
    XCTAssertEqual(try NPY.read(arrays("i64.npy")).integers(), [0, 3, 6, 9, 12])
    let i32 = try NPY.read(arrays("i32.npy"))
    XCTAssertEqual(i32.shape, [2, 3])
    XCTAssertEqual(try i32.integers(), [-2, -1, 0, 1, 2, 3])
  }

  func testFortranOrderIsReorderedToC() throws {
    let m = try NPY.read(arrays("f32_fortran.npy")).matrix()
    XCTAssertEqual(m.rows, 3)
    XCTAssertEqual(m.storage, expectedGrid(3, 4))
    let cube = try NPY.read(arrays("f32_3d_fortran.npy"))
    XCTAssertEqual(cube.shape, [2, 3, 4])
    XCTAssertEqual(try cube.floats(), (0..<24).map(Float.init))
  }

  func testBadArraysAreClearErrors() {
    assertVistaError(try NPY.read(arrays("nan.npy")).matrix(), contains: ["nan.npy", "NaN at element [1, 2]"])
    assertVistaError(try NPY.read(arrays("inf.npy")).floats(), contains: ["Inf at element [0, 1]"])
    assertVistaError(try NPY.read(arrays("truncated.npy")), contains: ["truncated.npy", "truncated", "48 bytes", "38"])
    assertVistaError(try NPY.read(arrays("big_endian.npy")), contains: ["unsupported dtype '>f4'"])
    assertVistaError(try NPY.read(arrays("f32.npy")).matrix(expectedColumns: 5), contains: ["f32.npy", "expected 5 columns", "(3, 4)"])
    assertVistaError(try NPY.read(arrays("f32_3d_fortran.npy")).matrix(), contains: ["expected a 2-D array", "(2, 3, 4)"])
  }

  func testNPYWriteRoundTrip() throws {
    let dir = try Fixtures.temporaryDirectory()
    let m = Matrix(rows: 2, cols: 3, storage: [1, -2, 3.5, 0, 1e-8, 6])
    let url = dir.appendingPathComponent("m.npy")
    try NPY.write(m, to: url)
    XCTAssertEqual(try NPY.read(url).matrix(), m)
    let ints = Tensor(name: "ids", shape: [4], int64s: [5, -1, 0, 1 << 40])
    try NPY.write(ints, to: url)
    XCTAssertEqual(try NPY.read(url).integers(), [5, -1, 0, 1 << 40])
    let header = try Data(contentsOf: url)
    XCTAssertEqual((header.count - 32) % 64 == 0 || header.count == 128 + 32, true)
  }

  func testNPZStoredAndDeflated() throws {
    for name in ["stored.npz", "deflated.npz"] {
      let w = try NPZ.read(arrays(name), array: "W_enc")
      XCTAssertEqual(try w.matrix().storage, expectedGrid(3, 4), name)
      XCTAssertEqual(try NPZ.read(arrays(name), array: "b_enc").vector(expectedCount: 4), expectedGrid(1, 4), name)
    }
    XCTAssertEqual(try NPZ.arrayNames(arrays("stored.npz")).sorted(), ["W_enc", "b_enc", "counts"])
    assertVistaError(try NPZ.read(arrays("stored.npz"), array: "w_enc"), contains: ["no array \"w_enc\"", "did you mean \"W_enc\""])
  }

  func testNPZWriteRoundTrip() throws {
    let dir = try Fixtures.temporaryDirectory()
    let url = dir.appendingPathComponent("pair.npz")
    let a = Tensor(name: "a", shape: [2, 2], floats: [1, 2, 3, 4])
    let b = Tensor(name: "b", shape: [3], int64s: [7, 8, 9])
    for compressed in [false, true] {
      try NPZ.write([a, b], to: url, compressed: compressed)
      let back = try NPZ.read(url)
      XCTAssertEqual(back.map(\.name), ["a", "b"])
      XCTAssertEqual(try back[0].floats(), [1, 2, 3, 4])
      XCTAssertEqual(try back[1].integers(), [7, 8, 9])
    }
  }

  func testSafetensorsAllDtypes() throws {
    let file = try Safetensors.read(arrays("mixed.safetensors"))
    XCTAssertEqual(file.metadata["source"], "make-array-fixtures")
    XCTAssertEqual(try file.tensor("f16").matrix().storage, expectedGrid(2, 3))
    XCTAssertEqual(try file.tensor("bf16").matrix().storage, expectedGrid(2, 3))
    XCTAssertEqual(try file.tensor("bf16").dtype, .bfloat16)
    XCTAssertEqual(try file.tensor("f32").matrix().storage, expectedGrid(3, 4))
    XCTAssertEqual(try file.tensor("f64").matrix().storage, expectedGrid(4, 2))
    XCTAssertEqual(try file.tensor("i64").integers(), [0, 3, 6, 9, 12])
    assertVistaError(try file.tensor("f23"), contains: ["no tensor \"f23\"", "mixed.safetensors"])
    assertVistaError(try Safetensors.read(arrays("truncated.safetensors")), contains: ["truncated.safetensors:", "truncated file"])
  }

  func testSafetensorsWriteRoundTrip() throws {
    let dir = try Fixtures.temporaryDirectory()
    let url = dir.appendingPathComponent("t.safetensors")
    let m = Matrix(rows: 3, cols: 2, storage: [0.5, 1, 2, 3, 4, 5])
    try Safetensors.write([Tensor(name: "W", matrix: m), Tensor(name: "n", shape: [1], int64s: [42])], metadata: ["k": "v"], to: url)
    let back = try Safetensors.read(url)
    XCTAssertEqual(try back.tensor("W").matrix(), m)
    XCTAssertEqual(try back.tensor("n").integers(), [42])
    XCTAssertEqual(back.metadata, ["k": "v"])
    let only = try Safetensors.read(url, only: ["n"])
    XCTAssertEqual(only.tensors.map(\.name), ["n"])
  }

  func testSparseMatrixReadsScipyAndRoundTrips() throws {
    let dense = try NPY.read(arrays("csr_dense.npy")).matrix()
    let fromScipy = try SparseMatrixIO.read(arrays("csr_scipy.npz"))
    XCTAssertEqual(fromScipy.toDense(), dense)
    XCTAssertEqual(fromScipy.nonZeroCount, 5)
    let dir = try Fixtures.temporaryDirectory()
    for ext in ["npz", "safetensors"] {
      let url = dir.appendingPathComponent("codes.\(ext)")
      try SparseMatrixIO.write(fromScipy, to: url)
      XCTAssertEqual(try SparseMatrixIO.read(url), fromScipy, ext)
    }
    assertVistaError(try SparseMatrixIO.read(arrays("stored.npz")), contains: ["not a CSR matrix", "data"])
  }

  func testHalfPrecisionEdgeCases() {
    XCTAssertEqual(HalfPrecision.float(fromHalf: 0x3C00), 1)
    XCTAssertEqual(HalfPrecision.float(fromHalf: 0xC000), -2)
    XCTAssertEqual(HalfPrecision.float(fromHalf: 0x0001), Float(5.9604645e-8))
    XCTAssertEqual(HalfPrecision.float(fromHalf: 0x7BFF), 65504)
    XCTAssertTrue(HalfPrecision.float(fromHalf: 0x7C00).isInfinite)
    XCTAssertTrue(HalfPrecision.float(fromHalf: 0x7E00).isNaN)
    XCTAssertEqual(HalfPrecision.float(fromBFloat16: 0x3F80), 1)
  }
}
