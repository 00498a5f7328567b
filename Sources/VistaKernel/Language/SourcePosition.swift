/// A place in a cell, 1-based, as a researcher counts: the physical line and the column (in characters).
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) { self.line = line; self.column = column }
  public var description: String { "line \(line), column \(column)" }
}
