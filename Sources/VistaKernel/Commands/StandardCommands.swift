extension CommandRegistry {
  /// Every command of the VISTA language, in the order `help` lists them within a group.
  public static func standard() -> CommandRegistry {
    CommandRegistry([
      // Basics
      HelpCommand(), PageCommand(), VersionCommand(), EchoCommand(), DisplayCommand(), ClearCommand(), SleepCommand(),
      // Dataset and representation
      LoadCommand(), EncodeCommand(), SAELoadCommand(), SAETrainCommand(), SAEApplyCommand(), SAEInfoCommand(),
      ActivationsLoadCommand(), CodesLoadCommand(), LatentsCommand(),
      // Selection, layout, fidelity
      SelectCommand(), LayoutCommand(), GainCommand(), TrustCommand(),
      // Map
      TilesCommand(), PreviewCommand(), CaptionsCommand(),
      // Render and explore
      RenderPlanCommand(), RenderPlanPreviewCommand(), RenderAtlasCommand(), ExploreCommand(), ExportExplorerCommand(),
      // Session
      StatusCommand(), SetCommand(), ResetCommand(), SaveRecipeCommand(), ExportLayoutCommand(), SweepCommand(),
    ])
  }
}
