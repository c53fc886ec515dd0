import ConcurrentFutures

// Exercise 08a, Keep what finished in time.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// What a fetch with a deadline gathered.
public struct DeadlineReport: Sendable {
    /// The pages that arrived in time, by URL.
    public var pages: [String: String] = [:]
    /// The fetches that failed in time, by URL.
    public var failures: [String: any Error] = [:]
    /// The URLs that had not finished by the deadline, in input order.
    public var late: [String] = []
    public init(pages: [String: String] = [:], failures: [String: any Error] = [:], late: [String] = []) {
        (self.pages, self.failures, self.late) = (pages, failures, late)
    }
}
