import JupyterKernel
import VistaCore

/// `version`: the kernel's version and the BLAS kernel in use.
struct VersionCommand: Command {
  let spec = CommandSpec(["version"], group: .basics, summary: "Show the VISTA kernel version and the BLAS core in use")

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    context.write("vista \(VistaInterpreter.version) (OpenBLAS \(BLAS.coreName), \(BLAS.threadCount) threads)\n")
    return .none
  }
}
