import ConcurrentFutures
import ExerciseKit
import Foundation
import WorkbookCourse

/// The checks of one exercise: scenarios that run an implementation (the learner's, or the
/// solution) and verify what it did.
///
/// The implementation comes in as a value (a struct of closures, or a type that conforms to a
/// protocol of ExerciseKit), so the very same checks run against `Exercises/` and `Solutions/`:
///
///     let scenarios = Check05a.scenarios(.init(firstGoodAnswer: Exercise05a.firstGoodAnswer))
public protocol ExerciseCheck {
    associatedtype Implementation: Sendable
    /// "05a"
    static var exerciseID: String { get }
    static func scenarios(_ implementation: Implementation) -> [Scenario]
    /// The scenario that `workbook check ID --timeline` draws: the first, unless a check says
    /// otherwise (or that it has none, and why).
    static var timeline: TimelineChoice { get }
}

extension ExerciseCheck {
    public static var timeline: TimelineChoice { .scenario(0) }
}

/// Which scenario of a check `workbook check ID --timeline` draws.
public enum TimelineChoice: Sendable, Equatable {
    /// The scenario at this index; `note` says how to read its rows, where that is not plain.
    case scenario(Int, note: String? = nil)
    /// None: what the exercise does cannot be drawn thread by thread, for the reason given.
    case none(because: String)
}

/// The scenarios of one exercise, ready to run against one implementation: what a runner or a
/// test hands to `CheckHarness`.
public struct PreparedCheck: Sendable {
    public let exerciseID: String
    public let scenarios: [Scenario]
    /// The module under test ("Exercise05a" or "Solutions"), to notice `todo` markers.
    public let module: String
    /// The scenario that `--timeline` draws.
    public let timeline: TimelineChoice

    public init(exerciseID: String, scenarios: [Scenario], module: String, timeline: TimelineChoice = .scenario(0)) {
        (self.exerciseID, self.scenarios, self.module, self.timeline) = (exerciseID, scenarios, module, timeline)
    }

    /// How to read the rows of the timeline scenario, if the check says.
    public var timelineNote: String? {
        if case .scenario(_, let note) = timeline { return note }
        return nil
    }

    /// The index of the scenario `--timeline` draws, if there is one.
    public var timelineScenario: Int? {
        if case .scenario(let index, _) = timeline, scenarios.indices.contains(index) { return index }
        return nil
    }
}

extension ExerciseCheck {
    /// The checks of this exercise against `implementation`, which lives in `module`.
    public static func prepare(_ implementation: Implementation, module: String) -> PreparedCheck {
        PreparedCheck(exerciseID: exerciseID, scenarios: scenarios(implementation), module: module, timeline: timeline)
    }
}

/// One situation an implementation is put in, and what must hold afterwards.
///
/// A scenario throws `CheckFailure` when a property does not hold. It runs on a thread of its
/// own under a watchdog (`timeLimit` seconds, scaled when the process runs slowly, as under
/// ThreadSanitizer), so an implementation that deadlocks or never ends is stopped and explained.
public struct Scenario: Sendable {
    public let name: String
    public let timeLimit: Double
    let body: Body

    enum Body: Sendable {
        case blocking(@Sendable (CheckContext) throws -> Void)
        case async(@Sendable (CheckContext) async throws -> Void)
    }

    public init(_ name: String, timeLimit: Double = 5, _ body: @escaping @Sendable (CheckContext) throws -> Void) {
        self.name = name
        self.timeLimit = timeLimit
        self.body = .blocking(body)
    }

    public init(_ name: String, timeLimit: Double = 5, async body: @escaping @Sendable (CheckContext) async throws -> Void) {
        self.name = name
        self.timeLimit = timeLimit
        self.body = .async(body)
    }

    /// Whether the scenario runs as a Task, on the few threads that every Task of the process
    /// shares (an implementation that blocks them slows every other async scenario down).
    public var isAsync: Bool {
        if case .async = body { return true }
        return false
    }
}

/// A property that does not hold: thrown by a scenario, shown to the learner.
public struct CheckFailure: Error, CustomStringConvertible {
    public let property: CheckProperty
    public let message: String
    public let expected: String?
    public let actual: String?
    public let advice: String?

    public init(_ property: CheckProperty, _ message: String, expected: String? = nil, actual: String? = nil, advice: String? = nil) {
        self.property = property
        self.message = message
        self.expected = expected
        self.actual = actual
        self.advice = advice
    }

    public var description: String {
        var text = "[\(property.title)] \(message)"
        if let expected { text += "\n  expected: \(expected)" }
        if let actual { text += "\n  actual:   \(actual)" }
        if let advice { text += "\n  advice:   \(advice)" }
        return text
    }
}

/// Fails with `property` unless `condition` holds.
public func require(
    _ condition: Bool, _ property: CheckProperty, _ message: @autoclosure () -> String,
    expected: @autoclosure () -> String? = nil, actual: @autoclosure () -> String? = nil,
    advice: @autoclosure () -> String? = nil
) throws {
    if !condition {
        throw CheckFailure(property, message(), expected: expected(), actual: actual(), advice: advice())
    }
}

/// Fails with `property` unless `actual == expected`, showing both.
public func requireEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ property: CheckProperty, _ message: @autoclosure () -> String,
    advice: @autoclosure () -> String? = nil
) throws {
    if actual != expected {
        throw CheckFailure(property, message(), expected: show(expected), actual: show(actual), advice: advice())
    }
}

/// Runs `body`, which must throw; returns the error. Fails with `property` if nothing is thrown.
public func requireThrows<T>(
    _ property: CheckProperty, _ message: @autoclosure () -> String, advice: @autoclosure () -> String? = nil,
    _ body: () throws -> T
) throws -> any Error {
    let value: T
    do {
        value = try body()
    } catch let unfinished as Unfinished {
        throw unfinished
    } catch {
        return error
    }
    throw CheckFailure(property, message(), expected: "an error", actual: "returned \(show(value))", advice: advice())
}

/// A value as feedback shows it: short, one line, long collections cut in the middle.
public func show<T>(_ value: T) -> String {
    var text: String
    if let string = value as? String {
        text = string.debugDescription
    } else {
        text = String(describing: value)
    }
    text = text.replacingOccurrences(of: "\n", with: "⏎")
    if text.count > 300 {
        text = String(text.prefix(200)) + " … " + String(text.suffix(80))
    }
    return text
}

/// An error that a check's instrumented input throws on purpose. Each one is unique, so a check
/// can tell whether the error that came out is the very one that went in: two planted errors
/// with the same tag are still different errors (`==` compares identity, not the tag).
public struct PlantedError: Error, Equatable, CustomStringConvertible {
    public let tag: String
    private let serial: Int
    private static let serials = LockedValue(0)

    public init(_ tag: String) {
        self.tag = tag
        serial = Self.serials.withLock { $0 += 1; return $0 }
    }

    public var description: String { "PlantedError(\(tag))" }
}

/// Whether `error` is a planted error with `tag`.
public func isPlanted(_ error: (any Error)?, _ tag: String) -> Bool {
    (error as? PlantedError)?.tag == tag
}

/// Whether `error` is the very error `planted` (not another one with the same tag).
public func isPlanted(_ error: (any Error)?, _ planted: PlantedError) -> Bool {
    (error as? PlantedError) == planted
}

/// Fails with `.pool` unless every call that `witness` saw ran on a worker of `pool`: not on the
/// caller's thread, and not on a pool the implementation made for itself.
public func requireRanOnPool(
    _ witness: ThreadWitness, _ pool: ThreadPoolExecutor, _ what: String, advice: String? = nil
) throws {
    try require(witness.sawOnlyWorkers(of: pool), .pool,
        "\(what) did not run on the pool it was given (whose workers are named \(pool.threadNamePrefix)_0, \(pool.threadNamePrefix)_1, ...)",
        expected: "only on workers \(pool.threadNamePrefix)_...", actual: witness.whereCalled,
        advice: advice ?? "Submit the work to the `pool` parameter: `pool.submit { ... }`. Not on the calling thread, and not on a pool of your own: the caller chose this pool, and its size.")
}
