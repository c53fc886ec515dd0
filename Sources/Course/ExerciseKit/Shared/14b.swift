import ConcurrentFutures

// Exercise 14b, A polite link checker.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// What checking one link gave.
public struct LinkResult: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        /// The HTTP status code.
        case status(Int)
        /// The check threw: the error's description.
        case failed(String)
    }
    public var link: String
    public var outcome: Outcome
    public init(link: String, outcome: Outcome) { (self.link, self.outcome) = (link, outcome) }
    public var description: String {
        switch outcome {
        case .status(let code): "\(link) → \(code)"
        case .failed(let reason): "\(link) → failed: \(reason)"
        }
    }
}

/// The host part of a link: "http://example.org:8080/a/b" → "example.org:8080".
public func host(of link: String) -> String {
    var rest = Substring(link)
    if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
    return String(rest.prefix { $0 != "/" })
}
