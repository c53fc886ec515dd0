import ConcurrentFutures

// Exercise 07a, Successes and failures.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// What `parseAll` found: every line in exactly one of the two lists, in input order.
public struct ParseReport: Sendable {
    public var parsed: [Parsed] = []
    public var failed: [ParseFailure] = []
    public init(parsed: [Parsed] = [], failed: [ParseFailure] = []) { (self.parsed, self.failed) = (parsed, failed) }
}

/// A line and its value.
public struct Parsed: Sendable, Equatable {
    public var line: String
    public var value: Int
    public init(line: String, value: Int) { (self.line, self.value) = (line, value) }
}

/// A line and the error its parse threw (the very error, not a copy of its text).
public struct ParseFailure: Sendable {
    public var line: String
    public var error: any Error
    public init(line: String, error: any Error) { (self.line, self.error) = (line, error) }
}
