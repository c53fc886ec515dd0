import ConcurrentFutures

// Exercise 13a, A monitored executor.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// The counts a monitored executor keeps.
public struct PoolCounts: Sendable, Equatable, CustomStringConvertible {
    /// Tasks accepted by `submit`.
    public var submitted = 0
    /// Tasks running right now.
    public var running = 0
    /// Tasks that returned a value.
    public var completed = 0
    /// Tasks that threw.
    public var failed = 0
    /// Tasks cancelled before they ran.
    public var cancelled = 0
    public init(submitted: Int = 0, running: Int = 0, completed: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        (self.submitted, self.running, self.completed, self.failed, self.cancelled) =
            (submitted, running, completed, failed, cancelled)
    }
    public var description: String {
        "submitted \(submitted), running \(running), completed \(completed), failed \(failed), cancelled \(cancelled)"
    }
}

/// What the checks need from exercise 13a's `MonitoredExecutor`.
public protocol MonitoredExecuting: Executor {
    init(wrapping base: any Executor)
    var counts: PoolCounts { get }
}
