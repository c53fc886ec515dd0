import ConcurrentFutures

// Exercise 05b, Fail fast.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// A job failed: which one, and its error.
public struct JobFailed: Error, CustomStringConvertible {
    public var job: Int
    public var error: any Error
    public init(job: Int, error: any Error) { (self.job, self.error) = (job, error) }
    public var description: String { "JobFailed(job: \(job), error: \(error))" }
}
