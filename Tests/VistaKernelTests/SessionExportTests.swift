import Foundation
import VistaCore
import XCTest

@testable import VistaKernel

final class SessionExportTests: XCTestCase {
  private let table = LayoutTable(
    ids: ["a1", "b,2", "c"], captions: ["a dog", "say \"hi\", twice", "two\nlines"], x: [0.5, -1.25, 3],
    y: [1, 2, 1e-5], tile: [0, 1, 1], cluster: [4, 4, 5], activation: [0.1, 0, 7.5])

  func testCSVFollowsRFC4180() {
    let csv = LayoutExport.csv(table)
    XCTAssertEqual(
      csv,
      "id,caption,x,y,tile,cluster,activation\r\n"
        + "a1,a dog,0.5,1.0,0,4,0.1\r\n"
        + "\"b,2\",\"say \"\"hi\"\", twice\",-1.25,2.0,1,4,0.0\r\n"
        + "c,\"two\nlines\",3.0,1e-05,1,5,7.5\r\n")
  }

  func testJSONLinesParseBack() throws {
    let lines = LayoutExport.jsonLines(table).split(separator: "\n")
    XCTAssertEqual(lines.count, 3)
    let second = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
    XCTAssertEqual(second["caption"] as? String, "say \"hi\", twice")
    XCTAssertEqual(second["x"] as? Double, -1.25)
    XCTAssertEqual(second["cluster"] as? Int, 4)
    let third = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
    XCTAssertEqual(third["caption"] as? String, "two\nlines")
  }

  func testColumnsFolderHoldsNpyFilesAndASchema() throws {
    let folder = ToyPipeline.temporaryDirectory().appendingPathComponent("layout.columns")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let written = try LayoutExport.write(table, to: folder)
    XCTAssertEqual(
      written.map(\.lastPathComponent),
      ["id.npy", "caption.npy", "x.npy", "y.npy", "tile.npy", "cluster.npy", "activation.npy", "schema.json"])

    let x = try Data(contentsOf: folder.appendingPathComponent("x.npy"))
    XCTAssertEqual(Array(x.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
    let headerLength = Int(x[8]) | Int(x[9]) << 8
    XCTAssertEqual((10 + headerLength) % 64, 0, "data must start on a 64-byte boundary")
    let header = String(decoding: x[10..<(10 + headerLength)], as: UTF8.self)
    XCTAssertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (3,)"), header)
    let values = x.suffix(from: 10 + headerLength).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    XCTAssertEqual(values, [0.5, -1.25, 3])

    let captions = try Data(contentsOf: folder.appendingPathComponent("caption.npy"))
    let captionHeader = String(decoding: captions[10..<(10 + (Int(captions[8]) | Int(captions[9]) << 8))], as: UTF8.self)
    XCTAssertTrue(captionHeader.contains("'<U15'"), captionHeader)

    let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("schema.json")))
    let columns = try XCTUnwrap((schema as? [String: Any])?["columns"] as? [[String: Any]])
    XCTAssertEqual(columns.map { $0["name"] as? String }, ["id", "caption", "x", "y", "tile", "cluster", "activation"])
  }

  func testParquetFileHasMagicFooterAndEveryColumnName() throws {
    let bytes = try LayoutExport.parquet(table)
    XCTAssertEqual(String(decoding: bytes.prefix(4), as: UTF8.self), "PAR1")
    XCTAssertEqual(String(decoding: bytes.suffix(4), as: UTF8.self), "PAR1")
    let lengthBytes = Array(bytes.suffix(8).prefix(4))
    let footerLength = lengthBytes.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    XCTAssertLessThan(footerLength, bytes.count - 12)
    let footer = bytes.suffix(8 + footerLength).prefix(footerLength)
    for name in table.columnNames + ["schema", "vista version"] {
      XCTAssertNotNil(footer.range(of: Data(name.utf8)), "footer lacks \(name)")
    }
    // The caption with a quote and a comma is stored verbatim (PLAIN byte array), not escaped.
    XCTAssertNotNil(bytes.range(of: Data("say \"hi\", twice".utf8)))
    XCTAssertEqual(LayoutExportFormat.inferred(from: URL(fileURLWithPath: "/t/a.parquet")), .parquet)
  }

  func testThriftCompactEncodingOfKnownValues() {
    var writer = ThriftCompactWriter()
    writer.writeStruct { s in
      s.field(1, i32: -1)  // delta 1, type 5; zigzag(-1) = 1
      s.field(3, i64: 300)  // delta 2, type 6; zigzag(300) = 600 = 0xD8 0x04
      s.field(20, string: "ab")  // delta 17: long form, type 8, zigzag(20) = 40
      s.field(21, i32s: [0, 3])  // delta 1, list of 2 i32
    }
    XCTAssertEqual([UInt8](writer.data), [0x15, 0x01, 0x26, 0xD8, 0x04, 0x08, 40, 0x02, 0x61, 0x62, 0x19, 0x25, 0x00, 0x06, 0x00])
  }

  func testFormatIsInferredAndMismatchedColumnsAreRefused() throws {
    XCTAssertEqual(LayoutExportFormat.inferred(from: URL(fileURLWithPath: "/t/a.CSV")), .csv)
    XCTAssertEqual(LayoutExportFormat.inferred(from: URL(fileURLWithPath: "/t/a.ndjson")), .jsonl)
    XCTAssertEqual(LayoutExportFormat.inferred(from: URL(fileURLWithPath: "/t/a")), .columns)
    var broken = table
    broken.x.removeLast()
    XCTAssertThrowsError(try LayoutExport.write(broken, to: URL(fileURLWithPath: "/tmp/never.csv"))) { error in
      XCTAssertTrue("\(error)".contains("column x has 2 values"), "\(error)")
    }
  }
}
