import XCTest
@testable import JupyterKernel

final class HistoryStoreTests: XCTestCase {
  private var path: String!

  override func setUp() {
    path = NSTemporaryDirectory() + "vista-history-\(UUID().uuidString)/history.jsonl"
  }

  override func tearDown() {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
  }

  func testPersistsAcrossSessions() {
    let first = HistoryStore(path: path)
    XCTAssertEqual(first.session, 1)
    first.append(line: 1, input: "echo a", output: nil)
    first.append(line: 2, input: "6*7", output: "42")
    let second = HistoryStore(path: path)
    XCTAssertEqual(second.session, 2)
    second.append(line: 1, input: "echo b", output: nil)
    XCTAssertEqual(second.tail(3).map(\.input), ["echo a", "6*7", "echo b"])
    XCTAssertEqual(second.tail(1), [HistoryEntry(session: 2, line: 1, input: "echo b")])
    XCTAssertEqual(second.range(session: 1, start: 2, stop: 3), [HistoryEntry(session: 1, line: 2, input: "6*7", output: "42")])
    XCTAssertEqual(second.range(session: -1, start: 1, stop: nil).count, 2, "negative sessions are relative")
    XCTAssertEqual(second.range(session: 0, start: 1, stop: nil).map(\.input), ["echo b"])
  }

  func testTornLinesAreSkipped() throws {
    let store = HistoryStore(path: path)
    store.append(line: 1, input: "ok", output: nil)
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data("{\"session\":1,\"li".utf8))
    handle.closeFile()
    XCTAssertEqual(HistoryStore(path: path).tail(10).map(\.input), ["ok"])
  }

  func testSearchGlobUniqueAndN() {
    let store = HistoryStore(path: nil)
    for (i, code) in ["6*7", "echo x", "6*7", "1+2", "6*7", "66*77"].enumerated() {
      store.append(line: i + 1, input: code, output: nil)
    }
    XCTAssertEqual(store.search(pattern: "6[*]7", n: nil, unique: false).map(\.line), [1, 3, 5])
    XCTAssertEqual(store.search(pattern: "6[*]7", n: nil, unique: true).map(\.line), [5])
    XCTAssertEqual(store.search(pattern: "6*7", n: nil, unique: true).map(\.input), ["6*7", "66*77"])
    XCTAssertEqual(store.search(pattern: "*", n: 2, unique: false).map(\.line), [5, 6])
    XCTAssertEqual(store.search(pattern: "echo ?", n: nil, unique: false).map(\.line), [2])
    XCTAssertEqual(store.search(pattern: "[^6]*", n: nil, unique: false).map(\.input), ["echo x", "1+2"])
    XCTAssertEqual(store.search(pattern: "ECHO*", n: nil, unique: false), [], "glob is case-sensitive")
  }

  func testDefaultPathHonoursEnvironment() {
    XCTAssertEqual(HistoryStore.defaultPath(environment: ["VISTA_HISTORY": "/x/h.jsonl"]), "/x/h.jsonl")
    XCTAssertEqual(HistoryStore.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]), "/d/vista/history.jsonl")
    XCTAssertEqual(HistoryStore.defaultPath(environment: ["HOME": "/h"]), "/h/.local/share/vista/history.jsonl")
  }
}
