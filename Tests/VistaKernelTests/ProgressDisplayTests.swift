import JupyterKernel
import VistaCore
import XCTest
@testable import VistaKernel

final class ProgressDisplayTests: XCTestCase {
  func testLongWorkShowsABarThatUpdatesAndEndsWithTheElapsedTime() throws {
    let ctx = RecordingContext()
    let display = ProgressDisplay(title: "work", context: ctx, showAfter: 0)
    display.progress.throttle = 0
    display.progress.update("half", 0.5)
    display.finish()
    guard case .display(let first, let id)? = ctx.events.first else { return XCTFail("no display") }
    XCTAssertEqual(id, display.displayID)
    XCTAssertTrue(first.string("text/html")?.contains("<progress") ?? false)
    XCTAssertEqual(ctx.updates.count, 2)
    XCTAssertTrue(ctx.updates[0].string("text/plain")?.contains("50% · half") ?? false)
    XCTAssertTrue(ctx.updates[1].string("text/plain")?.contains("done in") ?? false)
    guard case .update(_, let updateID)? = ctx.events.last else { return XCTFail("no update") }
    XCTAssertEqual(updateID, display.displayID)
  }

  func testShortWorkShowsNothing() {
    let ctx = RecordingContext()
    let display = ProgressDisplay(title: "quick", context: ctx, showAfter: 0.02)
    display.progress.update("x", 0.5)
    display.finish()
    // Past the moment the display would have appeared: finishing first must have cancelled it.
    Thread.sleep(forTimeInterval: 0.1)
    XCTAssertTrue(ctx.events.isEmpty)
  }

  func testInterruptCancelsTheProgressAndLeavesTheSessionAsItWas() throws {
    let data = try SyntheticDataset(count: 200, groups: 4)
    defer { data.remove() }
    let interpreter = VistaInterpreter(session: Session(cacheDirectory: nil))
    _ = try interpreter.execute(code: "load \(data.captionsPath)\ncodes load \(data.codesPath)\nselect latent=0 top=150\nlayout umap epochs=20 seed=1",
                                silent: false, context: RecordingContext())
    let before = interpreter.session.record(.layout)
    let ctx = RecordingContext()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { ctx.interrupt() }
    XCTAssertThrowsError(try interpreter.execute(code: "layout umap epochs=10000 seed=2", silent: false, context: ctx)) { error in
      XCTAssertEqual((error as? ExecutionError)?.name, "KeyboardInterrupt", "\(error)")
    }
    XCTAssertEqual(interpreter.session.record(.layout), before)
    XCTAssertNotNil(interpreter.session.result(.layout, as: LayoutResult.self))
  }
}
