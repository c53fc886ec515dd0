import ConcurrentFutures

// Exercise 02b, Receipts first, results later.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// Where a set of futures stands right now.
public struct ReceiptBoard: Sendable, Equatable, CustomStringConvertible {
    /// Not started yet (pending).
    public var waiting = 0
    /// Their task is running.
    public var running = 0
    /// Finished, with a value or an error.
    public var finished = 0
    /// Cancelled before they started.
    public var cancelled = 0

    public init(waiting: Int = 0, running: Int = 0, finished: Int = 0, cancelled: Int = 0) {
        (self.waiting, self.running, self.finished, self.cancelled) = (waiting, running, finished, cancelled)
    }

    public var description: String {
        "waiting \(waiting), running \(running), finished \(finished), cancelled \(cancelled)"
    }
}
