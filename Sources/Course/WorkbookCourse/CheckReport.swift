// What a check runner (`check-05a`) reports to the `workbook` tool: one JSON object per line,
// written as the checks go, so that a runner that crashes or is killed still leaves behind how
// far it got.

/// The property of a correct solution that a scenario found missing.
public enum CheckProperty: String, Codable, Sendable, CaseIterable {
    /// The values returned are wrong.
    case result
    /// The results come in the wrong order.
    case order
    /// An error was lost, changed, or separated from its input.
    case errors
    /// Work that should have been cancelled or stopped ran anyway.
    case cancellation
    /// The work did not run concurrently.
    case concurrency
    /// More tasks ran at once than allowed.
    case limit
    /// A pool was not shut down, or not the right way.
    case shutdown
    /// Code ran on the wrong thread: work not on the pool it was given (on the caller's thread,
    /// or on a pool of the function's own), or a call meant for the caller's thread on a worker.
    case pool
    /// The function waited for something it should not have waited for.
    case promptness
    /// Counts went wrong when several threads updated them.
    case threadSafety
    /// Something in the source itself (such as `@unchecked Sendable`).
    case source
    /// A `todo(...)` marker was reached.
    case unfinished
    /// Tasks waited for each other on a full pool; the pool's deadlock detector stopped them.
    case deadlock
    /// The scenario did not finish in time: stopped by the watchdog.
    case timeLimit
    /// The code threw an error the scenario did not expect.
    case unexpectedError

    /// How the property is named in feedback.
    public var title: String {
        switch self {
        case .result: "result"
        case .order: "order"
        case .errors: "errors kept with their inputs"
        case .cancellation: "cancellation"
        case .concurrency: "concurrency"
        case .limit: "never more than allowed at once"
        case .shutdown: "shutdown"
        case .pool: "where the code runs"
        case .promptness: "no needless waiting"
        case .threadSafety: "thread safety"
        case .source: "source"
        case .unfinished: "unfinished"
        case .deadlock: "no deadlock"
        case .timeLimit: "time limit (watchdog)"
        case .unexpectedError: "unexpected error"
        }
    }
}

/// How one scenario of a check ended.
public enum ScenarioStatus: String, Codable, Sendable {
    case passed
    case failed
    /// A `todo(...)` marker was reached.
    case unfinished
    /// The watchdog stopped it.
    case timedOut
}

/// One line of a runner's report.
public struct RunnerEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The runner starts: `exercise` and `scenarios` (their names) are set.
        case begin
        /// Scenario `index` starts.
        case start
        /// Scenario `index` ended: `status` and, unless it passed, the details.
        case result
        /// Every scenario ran.
        case end
    }

    public var kind: Kind
    public var exercise: String?
    public var scenarios: [String]?
    public var index: Int?
    public var status: ScenarioStatus?
    public var property: CheckProperty?
    /// What is wrong, in one or two sentences.
    public var message: String?
    public var expected: String?
    public var actual: String?
    /// What to look at to fix it.
    public var advice: String?
    /// For a timed-out scenario: what the pools and threads were doing when it was stopped.
    public var explanation: String?
    /// For a failed concurrency property: a compact timeline of what the code did, already
    /// drawn (at most 12 lines, the last one saying what it shows), printed as it is.
    public var timeline: [String]?
    public var seconds: Double?

    public init(
        kind: Kind, exercise: String? = nil, scenarios: [String]? = nil, index: Int? = nil,
        status: ScenarioStatus? = nil, property: CheckProperty? = nil, message: String? = nil,
        expected: String? = nil, actual: String? = nil, advice: String? = nil,
        explanation: String? = nil, timeline: [String]? = nil, seconds: Double? = nil
    ) {
        self.kind = kind
        self.exercise = exercise
        self.scenarios = scenarios
        self.index = index
        self.status = status
        self.property = property
        self.message = message
        self.expected = expected
        self.actual = actual
        self.advice = advice
        self.explanation = explanation
        self.timeline = timeline
        self.seconds = seconds
    }
}
