import ArgumentParser
import Foundation
import JupyterKernel
import VistaKernel

/// `vista kernel --connection-file F`: what kernel.json's argv runs.
///
/// It does not re-exec for OpenBLAS (start-up time counts here); the kernelspec's `env` sets
/// OPENBLAS_CORETYPE instead.
struct KernelCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel", abstract: "Run the Jupyter kernel (started by Jupyter through kernel.json).")

  @Option(name: .customLong("connection-file"), help: "The connection file Jupyter wrote.")
  var connectionFile: String

  func run() throws {
    let connection = try ConnectionInfo.load(path: connectionFile)
    let kernel = Kernel(connection: connection, interpreter: VistaInterpreter(), connectionFile: connectionFile)
    try kernel.run()
  }
}
