// swift-tools-version:6.0
// A small package for the representation benchmarks (bench/encoder, bench/sae). Its library targets are
// symlinks to the main package's Sources/VistaCore, VistaData, VistaEncode and COpenBLAS (and its test targets
// Tests/VistaDataTests, Tests/VistaEncodeTests), so the benchmarks and these tests build in about a minute
// without compiling the kernel, layout and render modules.
import PackageDescription

let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]
let optimized: [SwiftSetting] = swift5 + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
  name: "vista-bench-representations",
  platforms: [.macOS(.v13)],
  dependencies: [.package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19")],
  targets: [
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .target(name: "VistaCore", dependencies: ["COpenBLAS"], swiftSettings: optimized),
    .target(
      name: "VistaData", dependencies: ["VistaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
      resources: [.copy("Resources")], swiftSettings: optimized),
    .target(name: "VistaEncode", dependencies: ["VistaCore", "VistaData", "COpenBLAS"], swiftSettings: optimized),
    .executableTarget(name: "EncoderBench", dependencies: ["VistaCore", "VistaData", "VistaEncode"], swiftSettings: optimized),
    .executableTarget(name: "SAEBench", dependencies: ["VistaCore", "VistaData", "VistaEncode"], swiftSettings: optimized),
    .executableTarget(name: "SGEMMBench", dependencies: ["VistaCore"], swiftSettings: optimized),
    // The same test targets as the main package (symlinked), to test these modules alone.
    .testTarget(name: "VistaDataTests", dependencies: ["VistaData"], resources: [.copy("Fixtures")], swiftSettings: swift5),
    .testTarget(name: "VistaEncodeTests", dependencies: ["VistaEncode", "VistaData"], resources: [.copy("Fixtures")], swiftSettings: swift5),
  ]
)
