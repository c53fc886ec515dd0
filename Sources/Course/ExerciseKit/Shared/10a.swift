import ConcurrentFutures

// Exercise 10a, A service that owns its pool.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// Why a service did not take a job.
public enum ServiceUnavailable: Error, CustomStringConvertible {
    /// `close()` or `abort()` was called.
    case closed
    /// A worker's warm-up failed, so the service cannot run jobs (its error).
    case broken(any Error)

    public var description: String {
        switch self {
        case .closed: "ServiceUnavailable.closed"
        case .broken(let error): "ServiceUnavailable.broken(\(error))"
        }
    }
}

/// What the checks need from exercise 10a's `ResizeService`.
public protocol ResizeServing: AnyObject, Sendable {
    init(
        name: String, maxWorkers: Int,
        warmUp: @escaping @Sendable () throws -> Void,
        resize: @escaping @Sendable (Int) throws -> Int
    ) throws
    func submit(_ image: Int) throws -> Future<Int>
    func close()
    func abort()
}
