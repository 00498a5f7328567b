import JupyterKernel

/// The `vista.explorer` comm: the explorer sends {"event": "selection", "ids": [...], "indices": [...]}.
enum ExplorerComm {
  static let target = "vista.explorer"

  static func receive(_ data: JSONValue, into state: KernelState) {
    guard case .object(let fields) = data, fields["event"] == "selection" else { return }
    var ids: [String] = []
    if case .array(let items)? = fields["ids"] {
      ids = items.compactMap {
        switch $0 {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: return nil
        }
      }
    }
    var indices: [Int] = []
    if case .array(let items)? = fields["indices"] {
      indices = items.compactMap {
        switch $0 {
        case .int(let i): return i
        case .double(let d) where d == d.rounded(): return Int(d)
        default: return nil
        }
      }
    }
    state.explorerSelection = ExplorerSelection(ids: ids, indices: indices)
  }
}
