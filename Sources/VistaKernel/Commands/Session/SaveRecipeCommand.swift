import Foundation

/// `save recipe PATH`: the session as a `.vista` script that `vista run` replays to the same outputs.
struct SaveRecipeCommand: Command {
  let spec = CommandSpec(
    ["save", "recipe"], group: .session, summary: "Write the session as a .vista script that reproduces it (`vista run`)",
    arguments: [ArgumentSpec("PATH", .path, "where to write the script (.vista)")],
    examples: ["save recipe my-map.vista"])

  func run(_ invocation: Invocation, _ context: CommandContext) throws -> CommandOutput {
    let url = context.outputURL(invocation.string("PATH") ?? "recipe.vista")
    let recipe = try context.session.saveRecipe(to: url)
    context.write("wrote \(context.shownPath(url)) (\(recipe.split(separator: "\n").filter { !$0.hasPrefix("#") }.count) commands)\n")
    return .none
  }
}
