import Foundation
import VistaCore

/// `sleep SECONDS`: waits, waking every few milliseconds to notice an interrupt.
struct SleepCommand: Command {
  let spec = CommandSpec(
    ["sleep"], group: .basics, summary: "Wait for a number of seconds (interruptible)",
    arguments: [ArgumentSpec("SECONDS", .number(min: 0, max: 86_400), "how long to wait")],
    examples: ["sleep 0.5"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let seconds = invocation.double("SECONDS") ?? 0
    let deadline = Date().addingTimeInterval(seconds)
    while true {
      try context.checkInterrupted()
      let left = deadline.timeIntervalSinceNow
      if left <= 0 { break }
      Thread.sleep(forTimeInterval: min(left, 0.005))
    }
    return .none
  }
}
