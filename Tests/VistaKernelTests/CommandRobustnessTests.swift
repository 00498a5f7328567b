import Foundation
import JupyterKernel
import VistaCore
import VistaData
import XCTest
@testable import VistaKernel

/// Mistakes a researcher makes (a typo'd extension, bad values in a data file) give errors that name the
/// problem and the place, and leave the session as it was.
final class CommandRobustnessTests: XCTestCase {
  private var data: SyntheticDataset!
  private var interpreter: VistaInterpreter!

  override func setUpWithError() throws {
    data = try SyntheticDataset(count: 40, groups: 4)
    interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
  }

  override func tearDownWithError() throws { data.remove() }

  @discardableResult
  private func run(_ code: String) throws -> RecordingContext {
    let context = RecordingContext()
    _ = try interpreter.execute(code: code, silent: false, context: context)
    return context
  }

  private func failure(_ code: String) -> ExecutionError? {
    do {
      try run(code)
      XCTFail("expected `\(code)` to fail")
      return nil
    } catch {
      return error as? ExecutionError
    }
  }

  func testAnUnknownExportExtensionIsRefusedInsteadOfWritingAFolder() throws {
    try run("load \(data.captionsPath)\ncodes load \(data.codesPath)\nselect latent=1 top=50%\nlayout umap neighbors=5 epochs=20")
    let typo = data.folder.appendingPathComponent("layout.cvs")
    let error = try XCTUnwrap(failure("export layout \(typo.path)"))
    XCTAssertEqual(error.name, "BadValue")
    XCTAssertTrue(error.value.contains("'.cvs'") && error.value.contains(".csv") && error.value.contains("column 15"), error.value)
    XCTAssertFalse(FileManager.default.fileExists(atPath: typo.path))
    // An explicit format, or a name without an extension (a folder of columns), is still fine.
    try run("export layout \(typo.path) format=csv")
    XCTAssertTrue(try String(contentsOf: typo, encoding: .utf8).hasPrefix("id,caption,x,y"))
    try run("export layout \(data.folder.appendingPathComponent("columns").path)")
    XCTAssertTrue(FileManager.default.fileExists(atPath: data.folder.appendingPathComponent("columns/x.npy").path))
  }

  func testNonFiniteCodesNameTheFileRowAndLatentAndKeepThePreviousCodes() throws {
    try run("load \(data.captionsPath)\ncodes load \(data.codesPath)")
    let before = interpreter.session.record(.codes)?.fingerprint
    var dense = Matrix(rows: 40, cols: 5)
    for i in 0..<40 { dense[i, i % 5] = 1 }
    dense[17, 3] = .nan
    let poisoned = data.folder.appendingPathComponent("poisoned.npz")
    try SparseMatrixIO.write(SparseMatrix(dense: dense), to: poisoned)
    let error = try XCTUnwrap(failure("codes load \(poisoned.path)"))
    XCTAssertTrue(error.value.contains("NaN at row 17, latent 3") && error.value.contains("poisoned.npz"), error.value)
    XCTAssertEqual(interpreter.session.record(.codes)?.fingerprint, before)
    XCTAssertEqual(interpreter.session.result(.codes, as: SparseMatrix.self)?.cols, 24)
  }
}
