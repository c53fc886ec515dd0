import SystemPlatform

// What the operating system says about the threads of this process (`threadSnapshots()` in the
// platform layer): the watchdog uses it to tell a thread that waits from one that spins, and
// checks use it to see that a pool's threads are gone.

func currentThreadKey() -> String { "\(currentThreadID())" }

/// `true` if this process still has a thread with that id (an id from `currentThreadID()`).
public func threadExists(_ id: UInt64) -> Bool {
    threadSnapshot(id: id) != nil
}

extension ThreadSnapshot {
    var isRunning: Bool { state == .running }

    /// "running, using a CPU ..." / "sleeping on a lock or a condition (futex_wait_queue) ...":
    /// what the watchdog says a thread is doing. (The kernel function a thread sleeps in is
    /// known on Linux only; on macOS the state alone is told.)
    var activity: String {
        switch state {
        case .running:
            return "running, using a CPU (busy: a loop that does not end?)"
        case .waiting, .waitingUninterruptibly:
            let channel = waitChannel ?? ""
            if channel.contains("futex") {
                return "sleeping on a lock or a condition (\(channel)): waiting for a future, a lock or a semaphore"
            }
            if channel.contains("nanosleep") {
                return "sleeping in a timed sleep (\(channel))"
            }
            if channel.contains("poll") || channel.contains("select") || channel.contains("read") || channel.contains("wait") {
                return "waiting for input or a child process (\(channel))"
            }
            return "sleeping" + (channel.isEmpty ? "" : " (\(channel))")
        case .other(let code):
            return "state \(code)"
        }
    }
}

/// What the system says about one thread; `nil` if it is gone.
func snapshotThread(_ id: UInt64) -> ThreadSnapshot? {
    threadSnapshot(id: id)
}

/// Every thread of this process.
func allThreads() -> [ThreadSnapshot] {
    threadSnapshots()
}
