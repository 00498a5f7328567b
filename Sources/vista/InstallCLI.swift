import ArgumentParser
import Foundation
import JupyterKernel
import VistaCore

/// `vista install`: writes the kernelspec (kernel.json and logos) like `jupyter kernelspec install`.
struct InstallCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install", abstract: "Install the VISTA kernelspec so Jupyter can start the kernel.")

  @Flag(help: "Install for the current user (Jupyter's user data directory).")
  var user = false

  @Flag(name: .customLong("sys-prefix"), help: "Install into the active Python environment.")
  var sysPrefix = false

  @Option(help: "Install under PREFIX/share/jupyter/kernels.")
  var prefix: String?

  @Option(help: "The kernelspec name.")
  var name = "vista"

  @Option(name: .customLong("display-name"), help: "The name shown in Jupyter's launcher.")
  var displayName = "VISTA"

  @Option(name: .customLong("interrupt-mode"), help: "How Jupyter interrupts the kernel: signal or message.")
  var interruptMode = "signal"

  func validate() throws {
    if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
      throw ValidationError("choose at most one of --user, --sys-prefix and --prefix")
    }
    guard ["signal", "message"].contains(interruptMode) else {
      throw ValidationError("--interrupt-mode must be signal or message (got \"\(interruptMode)\")")
    }
    do { try KernelSpec.validate(name: name) } catch let e as KernelError { throw ValidationError(e.description) }
  }

  func run() throws {
    let location: KernelSpec.Location =
      user ? .user : sysPrefix ? .sysPrefix : prefix.map { .prefix(absolute($0)) } ?? .system
    // The kernel does not re-exec for OpenBLAS, so the spec sets the core `ensureFastKernel()` would force.
    let spec = KernelSpec(
      argv: [executablePath(), "kernel", "--connection-file", "{connection_file}"],
      displayName: displayName, language: "vista", interruptMode: interruptMode,
      env: OpenBLASCoreType.preferredCoreType().map { ["OPENBLAS_CORETYPE": $0] } ?? [:])
    var files: [String: [UInt8]] = [:]
    for (file, base64) in KernelspecAssets.files {
      files[file] = Array(Data(base64Encoded: base64) ?? Data())
    }
    let directory = try spec.install(name: name, location: location, files: files)
    print("Installed kernelspec \(name.lowercased()) in \(directory)")
  }

  /// The absolute path of this binary, so the kernelspec works from any directory.
  private func executablePath() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    return absolute(CommandLine.arguments[0])
  }

  private func absolute(_ path: String) -> String {
    let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    return url.standardizedFileURL.path
  }
}
