// swift-tools-version:6.0
// The render benchmarks (bench/render). Library targets are symlinks to the main package's Sources
// (VistaCore, VistaMap, VistaRender and the C shims), so the benchmark builds without the kernel,
// layout and encoder modules. VistaMap does not import VistaLayout, so it is left out here.
import PackageDescription

let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]
let optimized: [SwiftSetting] = swift5 + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
  name: "vista-bench-render",
  platforms: [.macOS(.v13)],
  targets: [
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
    .target(name: "VistaCore", dependencies: ["COpenBLAS"], swiftSettings: optimized),
    .target(name: "VistaMap", dependencies: ["VistaCore"], swiftSettings: optimized),
    .target(name: "VistaRender", dependencies: ["VistaCore", "VistaMap", "CCairo"], swiftSettings: optimized),
    .executableTarget(name: "RenderBench", dependencies: ["VistaCore", "VistaMap", "VistaRender"], swiftSettings: optimized),
  ]
)
