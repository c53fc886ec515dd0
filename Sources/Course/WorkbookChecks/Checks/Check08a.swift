import ConcurrentFutures
import ExerciseKit
import Foundation

/// 08a Keep what finished in time: one deadline for all, sort done from late, cancel queued.
public enum Check08a: ExerciseCheck {
    public typealias Fetch = @Sendable (String) throws -> String
    public struct Implementation: Sendable {
        public var fetchAll: @Sendable ([String], ThreadPoolExecutor, Duration, @escaping Fetch) throws -> DeadlineReport
        public init(fetchAll: @escaping @Sendable ([String], ThreadPoolExecutor, Duration, @escaping Fetch) throws -> DeadlineReport) {
            self.fetchAll = fetchAll
        }
    }

    public static let exerciseID = "08a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("keeps what arrived by the deadline, lists the rest as late, in one deadline for all", timeLimit: 10) { ctx in
                let pool = try ctx.pool(maxWorkers: 3)
                let slow = ctx.gate("u1 and u4 answer only after fetchAll has returned", timeout: 3)
                let deadline = ctx.seconds(0.5)
                let started = ContinuousClock.now
                let report = try ctx.step("calling fetchAll([u0, u1, u2, u3, u4], deadline: \(deadline)) where u1 and u4 are slow and u3 fails") {
                    try impl.fetchAll(["u0", "u1", "u2", "u3", "u4"], pool, deadline) { url in
                        switch url {
                        case "u1", "u4": slow.wait()
                        case "u3": throw PlantedError("u3 answered 503")
                        default: break
                        }
                        return "page \(url)"
                    }
                }
                let elapsed = (ContinuousClock.now - started).seconds
                let waitedForSlowOnes = slow.timedOut
                slow.open()
                ctx.shutDown(pool)
                try require(!waitedForSlowOnes, .promptness,
                    "fetchAll did not return at the deadline: it waited for the slow fetches (the check held them \(Int(3 * ctx.timeScale)) s, until it gave up)",
                    advice: "Pass the deadline to the wait: `wait(futures, timeout: deadline)`.")
                try require(elapsed < deadline.seconds * 1.6, .promptness,
                    "fetchAll took \(String(format: "%.2f", elapsed)) s for a deadline of \(String(format: "%.2f", deadline.seconds)) s: it gave the deadline to each slow fetch in turn, instead of one deadline for all",
                    advice: "Wait once for all of the futures with the deadline, not once per future.")
                try requireEqual(report.pages, ["u0": "page u0", "u2": "page u2"], .result,
                    "`pages` must hold exactly the pages that arrived in time",
                    advice: "After the deadline, a done future's `result()` does not wait. Did you wait at all before looking?")
                try requireEqual(report.failures.keys.sorted(), ["u3"], .errors, "`failures` must hold exactly the fetches that failed in time")
                try require(isPlanted(report.failures["u3"], "u3 answered 503"), .errors,
                    "the error kept for u3 is not the error its fetch threw",
                    expected: "PlantedError(u3 answered 503)", actual: show(report.failures["u3"]))
                try requireEqual(report.late, ["u1", "u4"], .result, "`late` must list the fetches not done by the deadline, in input order")
            },
            Scenario("late fetches that have not started are cancelled") { ctx in
                let pool = try ctx.pool(maxWorkers: 1)
                let slow = ctx.gate("v0 answers only after fetchAll has returned", timeout: 3)
                let fetched = EventLog()
                let report = try ctx.step("calling fetchAll([v0, v1, v2], deadline: 0.3 s) on 1 worker where v0 is slow") {
                    try impl.fetchAll(["v0", "v1", "v2"], pool, ctx.seconds(0.3)) { url in
                        fetched.record(url)
                        if url == "v0" { slow.wait() }
                        return "page \(url)"
                    }
                }
                slow.open()
                ctx.shutDown(pool)
                try requireEqual(report.late, ["v0", "v1", "v2"], .result, "every fetch was late: `late` must list them all, in input order")
                let ranAnyway = ["v1", "v2"].filter { fetched.contains($0) }
                try require(ranAnyway.isEmpty, .cancellation,
                    "\(ranAnyway.joined(separator: " and ")) had not started by the deadline, and ran anyway afterwards",
                    advice: "`cancel()` each future that is not done: the ones still queued then never run.")
            },
            Scenario("returns as soon as everything is done, long before the deadline") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let started = ContinuousClock.now
                    let report = try ctx.step("calling fetchAll([w0, w1, w2], deadline: 5 s) where every fetch is quick") {
                        try impl.fetchAll(["w0", "w1", "w2"], pool, .seconds(5)) { url in "page \(url)" }
                    }
                    let elapsed = (ContinuousClock.now - started).seconds
                    try require(elapsed < 2.5 * ctx.timeScale, .promptness,
                        "fetchAll took \(String(format: "%.1f", elapsed)) s although every fetch was done at once: it waited out the deadline",
                        advice: "`wait(futures, timeout:)` returns as soon as all are done.")
                    try requireEqual(report.pages, ["w0": "page w0", "w1": "page w1", "w2": "page w2"], .result, "every page arrived in time")
                    try requireEqual(report.late, [], .result, "nothing was late")
                }
            },
        ]
    }
}
