import XCTest
@testable import VistaCore

final class MatrixTests: XCTestCase {
  func testSparseRoundTripsDense() {
    let dense = Matrix(rows: 2, cols: 3, storage: [0, 1, 0, 2, 0, 3])
    let sparse = SparseMatrix(dense: dense)
    XCTAssertEqual(sparse.nonZeroCount, 3)
    XCTAssertEqual(sparse[1, 2], 3)
    XCTAssertEqual(sparse[0, 0], 0)
    XCTAssertEqual(sparse.toDense(), dense)
    XCTAssertEqual(sparse.column(1), [1, 0])
  }

  func testSeededGeneratorIsDeterministic() {
    var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
    let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }, xc = (0..<5).map { _ in c.next() }
    XCTAssertEqual(xa, xb)
    XCTAssertNotEqual(xa, xc)
  }

  func testGemmMatchesNaiveProduct() {
    let a = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
    let b = Matrix(rows: 3, cols: 2, storage: [7, 8, 9, 10, 11, 12])
    XCTAssertEqual(BLAS.multiply(a, b).storage, [58, 64, 139, 154])
    XCTAssertEqual(BLAS.multiply(a, a, transposeB: true).storage, [14, 32, 32, 77])
  }

  func testProgressCancellationThrows() {
    let p = Progress()
    XCTAssertNoThrow(try p.checkCancelled())
    p.cancel()
    XCTAssertThrowsError(try p.checkCancelled())
  }
}
