import XCTest
@testable import JupyterKernel

final class ConnectionInfoTests: XCTestCase {
  func testParsesAJupyterConnectionFile() throws {
    let text = #"""
    {"shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797, "hb_port": 53798,
     "ip": "127.0.0.1", "key": "a0436f6c-1916-498b", "transport": "tcp", "signature_scheme": "hmac-sha256",
     "kernel_name": "vista"}
    """#
    let info = try ConnectionInfo.parse(Array(text.utf8))
    XCTAssertEqual(info.shellPort, 53794)
    XCTAssertEqual(info.hbPort, 53798)
    XCTAssertEqual(info.key, "a0436f6c-1916-498b")
    XCTAssertEqual(info.endpoint(port: info.shellPort), "tcp://127.0.0.1:53794")
    XCTAssertFalse(info.usesCurve)
    XCTAssertEqual(try ConnectionInfo.parse(info.json.encoded()), info)
  }

  func testIPCEndpointsAndCurveKeys() throws {
    let info = ConnectionInfo(transport: "ipc", ip: "/tmp/k", shellPort: 1, curvePublicKey: String(repeating: "a", count: 40),
                              curveSecretKey: String(repeating: "b", count: 40))
    XCTAssertEqual(info.endpoint(port: 1), "ipc:///tmp/k-1")
    XCTAssertTrue(info.usesCurve)
  }

  func testErrorsNameTheProblem() {
    XCTAssertThrowsError(try ConnectionInfo.parse(Array(#"{"shell_port": 1}"#.utf8), source: "f.json")) { error in
      XCTAssertEqual("\(error)", "f.json: missing \"iopub_port\"")
    }
    let badPort = #"{"shell_port": "x", "iopub_port": 1, "stdin_port": 1, "control_port": 1, "hb_port": 1}"#
    XCTAssertThrowsError(try ConnectionInfo.parse(Array(badPort.utf8), source: "f.json")) { error in
      XCTAssertTrue("\(error)".contains("\"shell_port\" must be a port number"))
    }
    XCTAssertThrowsError(try ConnectionInfo.parse(Array("{".utf8), source: "f.json"))
    XCTAssertThrowsError(try ConnectionInfo.load(path: "/nonexistent/kernel-1.json"))
  }

  func testKernelIDFromConnectionFileName() {
    XCTAssertEqual(KernelEnvironment.kernelID(fromConnectionFile: "/run/jupyter/kernel-12ab-34.json"), "12ab-34")
    XCTAssertEqual(KernelEnvironment.kernelID(fromConnectionFile: "/x/other.json"), "other")
    XCTAssertEqual(KernelEnvironment(connectionFile: nil, session: "S").kernelID, "S")
  }

  func testKernelSpecJSONAndLocations() throws {
    let spec = KernelSpec(argv: ["/bin/vista", "kernel", "--connection-file", "{connection_file}"], displayName: "VISTA",
                          language: "vista", env: ["OPENBLAS_CORETYPE": "SkylakeX"])
    XCTAssertEqual(spec.json["interrupt_mode"], "signal")
    XCTAssertEqual(spec.json["metadata"]?["supported_encryption"], ["curve"])
    XCTAssertEqual(spec.json["kernel_protocol_version"], "5.5")
    XCTAssertEqual(try KernelSpec.kernelsDirectory(.user, environment: ["JUPYTER_DATA_DIR": "/j"]), "/j/kernels")
    XCTAssertEqual(try KernelSpec.kernelsDirectory(.prefix("/p"), environment: [:]), "/p/share/jupyter/kernels")
    XCTAssertThrowsError(try KernelSpec.kernelsDirectory(.sysPrefix, environment: [:]))
    XCTAssertThrowsError(try KernelSpec.validate(name: "bad name"))
    let dir = NSTemporaryDirectory() + "vista-spec-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let installed = try spec.install(name: "Vista", location: .prefix(dir), files: ["logo-32x32.png": [1, 2, 3]])
    XCTAssertEqual(installed, dir + "/share/jupyter/kernels/vista")
    let written = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: installed + "/kernel.json"))))
    XCTAssertEqual(written, spec.json)
    XCTAssertEqual(FileManager.default.contents(atPath: installed + "/logo-32x32.png"), Data([1, 2, 3]))
  }
}
