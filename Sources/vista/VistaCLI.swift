import ArgumentParser

/// `vista`: the VISTA Jupyter kernel and its command-line tools.
///
/// Each subcommand lives in its own file; to add one, append its type to `subcommands`.
struct VistaCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vista",
    abstract: "VISTA: map what a neural representation has learned, from Jupyter or the command line.",
    version: VistaVersion.string,
    subcommands: [
      KernelCLI.self,
      InstallCLI.self,
      RunCLI.self,
      VersionCLI.self,
      EncodeCLI.self,
      SAECLI.self,
      LayoutCLI.self,
      GainCLI.self,
    ])
}

/// The version printed by `vista version` and `vista --version`.
enum VistaVersion {
  static let string = "0.1.0"
}

/// `vista version`.
struct VersionCLI: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
  func run() { print("vista \(VistaVersion.string)") }
}
