import ConcurrentFutures

// Exercise 05a, First good answer wins.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// A replica's answer.
public struct Answer: Sendable, Equatable, CustomStringConvertible {
    public var replica: String
    public var value: Int
    public init(replica: String, value: Int) { (self.replica, self.value) = (replica, value) }
    public var description: String { "\(value) from \(replica)" }
}

/// Every replica failed: each replica's error, by replica.
public struct AllReplicasFailed: Error, CustomStringConvertible {
    public var errors: [String: any Error]
    public init(errors: [String: any Error]) { self.errors = errors }
    public var description: String {
        "AllReplicasFailed: " + errors.keys.sorted().map { "\($0): \(errors[$0]!)" }.joined(separator: "; ")
    }
}
