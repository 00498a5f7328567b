import Foundation
import VistaMap

/// One sample map shared by the render tests (built once: map building is the slow part in debug).
enum RenderFixtures {
  static let sample = MapSample.make(count: 1500, clusters: 8, seed: 21)
  static let map: CaptionMap = {
    var options = MapOptions()
    options.grid = GridSize(columns: 16, rows: 9)
    return try! CaptionMap.build(positions: sample.positions, captions: sample.captions, activations: sample.activations, options: options)
  }()

  /// Where tests leave images and pages for people (and the browser test) to look at.
  static var artifacts: URL {
    let path = ProcessInfo.processInfo.environment["VISTA_TEST_ARTIFACTS"] ?? "/tmp/vista-artifacts"
    let url = URL(fileURLWithPath: path)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func save(_ bytes: [UInt8], _ name: String) {
    try? Data(bytes).write(to: artifacts.appendingPathComponent(name))
  }
}
