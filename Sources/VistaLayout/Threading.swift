import Foundation

/// The thread count used when a caller does not choose one: every core the process may use.
public var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
