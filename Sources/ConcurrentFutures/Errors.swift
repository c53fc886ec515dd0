// The errors of the library. Python's names are kept so that a learner can match them with the
// Python documentation; Python's messages are kept, in Swift spelling.
//
//   Python                                   Swift
//   concurrent.futures.CancelledError        CancelledError
//   concurrent.futures.TimeoutError          TimeoutError
//   concurrent.futures.InvalidStateError     InvalidStateError
//   concurrent.futures.BrokenExecutor        BrokenExecutor (a protocol: `catch let e as any BrokenExecutor`)
//   concurrent.futures.thread.BrokenThreadPool   BrokenThreadPool
//   RuntimeError('cannot schedule new futures after shutdown')   ShutdownError
//   ValueError('max_workers must be greater than 0')             InvalidArgumentError

/// Thrown by `result()` and `exception()` of a future that was cancelled.
///
/// Python: `concurrent.futures.CancelledError`.
///
///     let f = Future<Int>()
///     f.cancel()
///     try f.result()          // throws CancelledError
public struct CancelledError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "CancelledError: the future was cancelled" }
}

/// Thrown when a timed wait runs out: `result(timeout:)`, `exception(timeout:)`,
/// `asCompleted(_:timeout:)` and the results of `map(_:timeout:)`.
///
/// Python: `concurrent.futures.TimeoutError` (an alias of the built-in `TimeoutError` since 3.11).
///
///     do { _ = try future.result(timeout: .milliseconds(50)) }
///     catch let error as TimeoutError { print(error) }   // "TimeoutError: ..."
public struct TimeoutError: Error, CustomStringConvertible {
    /// What timed out, for example "2 (of 5) futures unfinished".
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "TimeoutError: \(message)" }
}

/// Thrown when an operation does not fit the future's state, such as setting the result of a
/// future that is already finished or cancelled.
///
/// Python: `concurrent.futures.InvalidStateError`.
///
///     let f = Future<Int>()
///     try f.setResult(1)
///     try f.setResult(2)      // throws InvalidStateError
public struct InvalidStateError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "InvalidStateError: \(message)" }
}

/// An executor that can no longer run tasks because something went wrong inside it (a worker's
/// initializer failed, a worker process died). Every broken-pool error conforms to it, so one
/// `catch` handles them all.
///
/// Python: `concurrent.futures.BrokenExecutor`, the base class of `BrokenThreadPool` and
/// `BrokenProcessPool`. Swift has no error inheritance, so the base is a protocol:
///
///     do { _ = try future.result() }
///     catch let error as any BrokenExecutor { print("pool is broken:", error.message) }
public protocol BrokenExecutor: Error, CustomStringConvertible {
    /// Why the executor is broken.
    var message: String { get }
}

/// A thread pool whose worker initializer threw. Its queued futures fail with this error and
/// every later `submit` throws it.
///
/// Python: `concurrent.futures.thread.BrokenThreadPool`.
public struct BrokenThreadPool: BrokenExecutor {
    public let message: String
    /// The error the initializer threw, when there is one.
    public let underlyingError: (any Error)?
    public init(_ message: String, underlyingError: (any Error)? = nil) {
        self.message = message
        self.underlyingError = underlyingError
    }
    public var description: String {
        if let underlyingError { return "BrokenThreadPool: \(message) (initializer error: \(underlyingError))" }
        return "BrokenThreadPool: \(message)"
    }
}

/// Thrown by `submit` and `map` after `shutdown` was called.
///
/// Python raises `RuntimeError('cannot schedule new futures after shutdown')`.
public struct ShutdownError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String = "cannot schedule new futures after shutdown") { self.message = message }
    public var description: String { "ShutdownError: \(message)" }
}

/// Thrown when an argument is out of range: `maxWorkers: 0`, `chunkSize: 0`, a negative timeout.
/// The message names the argument and the value that was given.
///
/// Python raises `ValueError`, e.g. `ValueError('max_workers must be greater than 0')`.
public struct InvalidArgumentError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "InvalidArgumentError: \(message)" }
}

/// Thrown by a waiting call (`result`, `exception`, `wait`, `asCompleted`, `map`'s results)
/// made inside a task when every worker of its pool is blocked waiting for tasks of that same
/// pool: none of them can ever finish, so instead of hanging forever, the waits fail.
///
/// Python has no such check: its two documented deadlock examples simply hang. Here both are
/// detected (lesson 12):
///
///     let pool = try ThreadPoolExecutor(maxWorkers: 1)
///     let outer = try pool.submit {
///         let inner = try pool.submit { 5 * 5 }   // queued behind the only worker...
///         return try inner.result()              // ...which waits for it: DeadlockError
///     }
///
/// Detection assumes that no thread outside the pool will cancel or complete the awaited
/// futures. Turn it off with `ThreadPoolExecutor(detectsDeadlocks: false)`.
public struct DeadlockError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "DeadlockError: \(message)" }
}
