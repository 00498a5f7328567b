import ArgumentParser
import Foundation
import VistaCore
import VistaKernel

/// `vista run SCRIPT.vista --out DIR`: runs a recipe without Jupyter and writes every output
/// (PNG, HTML, JSON, text) into DIR with stable names and a manifest; the same script and seed
/// give the same bytes. Exits non-zero at the first failing command, naming SCRIPT:LINE.
struct RunCLI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a .vista script headless and write its outputs into a folder.",
    discussion: """
      Files a command writes with a relative path (`export layout x.csv`, `export explorer map.html`, \
      `render plan out=plan.json`, `render atlas out=atlas`, `save recipe r.vista`) go into the --out folder; \
      input paths (`load`, `codes load`, `activations load`, `sae load`) stay relative to the working directory.
      """)

  @Argument(help: "The .vista script to run (e.g. one written by `save recipe`); - reads it from standard input.")
  var script: String

  @Option(name: .customLong("out"), help: "The folder that receives the outputs, manifest.json and files written with relative paths.")
  var out: String

  @Option(
    name: .customLong("cache"),
    help: "Cache folder (default: $VISTA_HOME/cache); `none` keeps results in memory only.")
  var cache: String?

  func run() throws {
    OpenBLASCoreType.ensureFastKernel()
    let cacheDirectory: URL?
    switch cache {
    case nil: cacheDirectory = Session.defaultCacheDirectory
    case "none"?: cacheDirectory = nil
    case let path?: cacheDirectory = URL(fileURLWithPath: path, isDirectory: true)
    }
    let session = Session(cacheDirectory: cacheDirectory)
    session.reproducibleOutputs = true
    let runner = HeadlessRunner(
      interpreter: VistaInterpreter(session: session), outputDirectory: URL(fileURLWithPath: out, isDirectory: true))

    // Ctrl-C interrupts the running command (it stops at its next cancellation check).
    signal(SIGINT, SIG_IGN)
    let interrupts = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupts.setEventHandler { runner.interrupt() }
    interrupts.resume()
    defer { interrupts.cancel() }

    do {
      let summary = script == "-"
        ? try runner.run(scriptData: FileHandle.standardInput.readToEnd() ?? Data(), name: "<stdin>")
        : try runner.run(scriptAt: URL(fileURLWithPath: script))
      print("ran \(summary.commands) commands; wrote \(summary.files.count) files to \(out)")
    } catch let error as VistaError {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
