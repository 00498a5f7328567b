import XCTest
@testable import VistaCore

final class OpenBLASCoreTypeTests: XCTestCase {
  private let avx512: Set<String> = ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"]

  func testMisdetectedPrescottIsUpgradedToTheWidestKernelTheCPUHas() {
    XCTAssertEqual(OpenBLASCoreType.preferredCoreType(cpuFlags: avx512, detected: "Prescott"), "SkylakeX")
    XCTAssertEqual(OpenBLASCoreType.preferredCoreType(cpuFlags: ["avx", "avx2", "fma"], detected: "Prescott"), "Haswell")
    XCTAssertEqual(OpenBLASCoreType.preferredCoreType(cpuFlags: ["avx"], detected: "Prescott"), "Sandybridge")
    XCTAssertNil(OpenBLASCoreType.preferredCoreType(cpuFlags: ["sse2"], detected: "Prescott"))
  }

  func testCooperlakeOnAVX512IsForcedToSkylakeXButGoodKernelsAreKept() {
    XCTAssertEqual(OpenBLASCoreType.preferredCoreType(cpuFlags: avx512, detected: "Cooperlake"), "SkylakeX")
    XCTAssertNil(OpenBLASCoreType.preferredCoreType(cpuFlags: avx512, detected: "SkylakeX"))
    XCTAssertNil(OpenBLASCoreType.preferredCoreType(cpuFlags: ["avx", "avx2", "fma"], detected: "Haswell"))
  }
}
