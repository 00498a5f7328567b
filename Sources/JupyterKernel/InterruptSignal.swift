import Foundation

/// Turns SIGINT into a readable byte on a pipe, so a thread can poll it with its ZeroMQ sockets.
///
/// jupyter_client interrupts a kernel in "signal" mode with SIGINT to the whole process group; the
/// default action would kill the kernel, so the handler only notes the signal (async-signal-safe).
enum InterruptSignal {
  nonisolated(unsafe) private static var writeFD: Int32 = -1
  nonisolated(unsafe) private(set) static var readFD: Int32 = -1

  /// Installs the handler once; returns the pipe's read end.
  static func install() -> Int32 {
    if readFD >= 0 { return readFD }
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return -1 }
    for fd in fds {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    readFD = fds[0]
    writeFD = fds[1]
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      var byte: UInt8 = 1
      _ = write(InterruptSignal.writeFD, &byte, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, nil)
    return readFD
  }

  /// Empties the pipe; returns how many signals were pending.
  static func drain() -> Int {
    var count = 0
    var buffer = [UInt8](repeating: 0, count: 64)
    while true {
      let n = read(readFD, &buffer, buffer.count)
      if n <= 0 { return count }
      count += n
    }
  }
}
