import ConcurrentFutures

// Exercise 12b, Fix the racy counter.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// Requests served and bytes sent, read together.
public struct UsageSnapshot: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    public var bytes: Int
    public init(requests: Int, bytes: Int) { (self.requests, self.bytes) = (requests, bytes) }
    public var description: String { "\(requests) requests, \(bytes) bytes" }
}

/// What the checks need from exercise 12b's `UsageStats`.
public protocol UsageRecording: AnyObject, Sendable {
    init()
    func record(bytes: Int)
    var snapshot: UsageSnapshot { get }
}
