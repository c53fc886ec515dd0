import ConcurrentFutures

// Exercise 06a, A progress counter fed by callbacks.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// How far a batch of tasks has come.
public struct BatchProgress: Sendable, Equatable, CustomStringConvertible {
    public var total: Int
    /// Finished with a value.
    public var succeeded = 0
    /// Finished with an error.
    public var failed = 0
    /// Cancelled before they ran.
    public var cancelled = 0
    public init(total: Int, succeeded: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        (self.total, self.succeeded, self.failed, self.cancelled) = (total, succeeded, failed, cancelled)
    }
    /// Tasks that are done, whichever way.
    public var done: Int { succeeded + failed + cancelled }
    public var description: String {
        "\(done)/\(total) done (succeeded \(succeeded), failed \(failed), cancelled \(cancelled))"
    }
}

/// What the checks need from exercise 06a's `ProgressCounter`.
public protocol ProgressTracking: AnyObject, Sendable {
    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void)
    func track<T>(_ future: Future<T>)
    var progress: BatchProgress { get }
}
