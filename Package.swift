// swift-tools-version:6.0
// VISTA: a native Jupyter kernel for mapping what a neural representation has learned.
//
// Module graph (arrows point down only):
//   vista (executable)  ->  VistaKernel  ->  JupyterKernel            (protocol; knows no VISTA)
//                                       ->  VistaRender -> VistaMap -> VistaCore
//                                       ->  VistaLayout -> VistaCore
//                                       ->  VistaEncode -> VistaData -> VistaCore
// The algorithms take plain arrays: VistaMap is handed the kNN graph VistaLayout computed.
import Foundation
import PackageDescription

let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

/// Release builds of the algorithm modules are compiled for the CPU that builds them, as
/// `-march=native` in C: the SIMD distance kernels then use AVX2/AVX-512 where the machine has
/// them (NN-descent on 70,000 × 784: 3.7 s → 2.6 s; layouts are the same bit for bit, since
/// Swift neither reassociates nor fuses floating-point operations). For a binary that must run on
/// other x86-64 machines, build with VISTA_TARGET_CPU=x86-64 (or another LLVM CPU name).
let targetCPU: [String] = {
  #if arch(x86_64)
  let cpu = ProcessInfo.processInfo.environment["VISTA_TARGET_CPU"] ?? "native"
  return cpu.isEmpty ? [] : ["-target-cpu", cpu]
  #else
  return []
  #endif
}()
let optimized: [SwiftSetting] = swift5 + [.unsafeFlags(["-Ounchecked"] + targetCPU, .when(configuration: .release))]

let package = Package(
  name: "vista",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "vista", targets: ["vista"]),
    .library(name: "JupyterKernel", targets: ["JupyterKernel"]),
    .library(name: "VistaKernel", targets: ["VistaKernel"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
  ],
  targets: [
    // C system libraries. CZMQ has no pkgConfig on purpose: libzmq.pc leaks a prohibited -isystem flag.
    .systemLibrary(name: "CZMQ", providers: [.apt(["libzmq3-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

    // The Jupyter protocol layer: wire format, sockets, threads, history, comms. Knows nothing of VISTA.
    .target(name: "JupyterKernel", dependencies: ["CZMQ", "COpenSSL"], swiftSettings: swift5),

    // VISTA's algorithms, which know nothing of Jupyter.
    .target(name: "VistaCore", dependencies: ["COpenBLAS"], swiftSettings: optimized),
    .target(
      name: "VistaData",
      dependencies: ["VistaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
      resources: [.copy("Resources")],
      swiftSettings: optimized),
    .target(name: "VistaEncode", dependencies: ["VistaCore", "VistaData", "COpenBLAS"], swiftSettings: optimized),
    .target(name: "VistaLayout", dependencies: ["VistaCore", "COpenBLAS"], swiftSettings: optimized),
    .target(name: "VistaMap", dependencies: ["VistaCore"], swiftSettings: optimized),
    .target(name: "VistaRender", dependencies: ["VistaCore", "VistaMap", "CCairo"], swiftSettings: optimized),

    // The command layer: joins the protocol to the algorithms.
    .target(
      name: "VistaKernel",
      dependencies: [
        "JupyterKernel", "VistaCore", "VistaData", "VistaEncode", "VistaLayout", "VistaMap", "VistaRender",
      ],
      swiftSettings: swift5),

    // The thin executable.
    .executableTarget(
      name: "vista",
      dependencies: [
        "VistaKernel", "JupyterKernel", "VistaCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swift5),

    .testTarget(name: "JupyterKernelTests", dependencies: ["JupyterKernel"], swiftSettings: swift5),
    .testTarget(name: "VistaCoreTests", dependencies: ["VistaCore"], swiftSettings: swift5),
    // Fixture lookup, temporary folders and error assertions shared by the test targets below.
    .target(name: "VistaTestSupport", path: "Tests/VistaTestSupport", swiftSettings: swift5),
    .testTarget(name: "VistaDataTests", dependencies: ["VistaData", "VistaTestSupport"], resources: [.copy("Fixtures")],
                swiftSettings: swift5),
    .testTarget(name: "VistaEncodeTests", dependencies: ["VistaEncode", "VistaData", "VistaTestSupport"],
                resources: [.copy("Fixtures")], swiftSettings: swift5),
    .testTarget(name: "VistaLayoutTests", dependencies: ["VistaLayout"], swiftSettings: swift5),
    .testTarget(name: "VistaMapTests", dependencies: ["VistaMap"], swiftSettings: swift5),
    .testTarget(name: "VistaRenderTests", dependencies: ["VistaRender", "VistaMap"], swiftSettings: swift5),
    .testTarget(name: "VistaKernelTests", dependencies: ["VistaKernel", "JupyterKernel", "VistaData"], swiftSettings: swift5),
  ]
)
