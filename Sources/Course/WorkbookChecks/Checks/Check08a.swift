import ConcurrentFutures
import ExerciseKit
import Foundation

/// 08a Keep what finished in time: one deadline for all (not one per fetch), done sorted from
/// late (late in input order, with enough of them that no other order passes by chance), queued
/// fetches cancelled, no waiting for the running ones, and no waiting out the deadline when all
/// are done.
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
            Scenario("keeps what arrived by the deadline, lists the rest as late in input order, one deadline for all", timeLimit: 15) { ctx in
                let pool = try ctx.pool(maxWorkers: 3)
                // 3 workers: u0 and u2 arrive, u3 fails, u1, u4 and u5 are slow (they hold the
                // workers), u6 to u9 are still queued at the deadline. Seven late fetches: a late
                // list in any other order than the input's cannot pass by chance.
                let urls = (0...9).map { "u\($0)" }
                let slow = ctx.gate("u1, u4 and u5 answer only after fetchAll has returned", timeout: 6)
                let planted = PlantedError("u3 answered 503")
                let deadline = ctx.seconds(0.5)
                let fetched = EventLog()
                let witness = ThreadWitness()
                let returned = LockedValue(false)
                let startedLate = EventLog()
                let started = ContinuousClock.now
                let report = try ctx.step("calling fetchAll([u0, ..., u9], deadline: \(deadline), on: 3 workers) where u1, u4, u5 are slow and u3 fails") {
                    try impl.fetchAll(urls, pool, deadline) { url in
                        ctx.labelTask(url)
                        witness.note()
                        fetched.record(url)
                        if returned.withLock({ $0 }) { startedLate.record(url) }
                        switch url {
                        case "u1", "u4", "u5": slow.wait()
                        case "u3": throw planted
                        default: break
                        }
                        return "page \(url)"
                    }
                }
                let elapsed = (ContinuousClock.now - started).seconds
                returned.withLock { $0 = true }
                let waitedForSlowOnes = slow.timedOut
                slow.open()
                ctx.shutDown(pool)
                try require(!waitedForSlowOnes, .promptness,
                    "fetchAll did not return at the deadline: it waited for the slow fetches (the check held them \(Int(6 * ctx.timeScale)) s, until it gave up)",
                    advice: "Pass the deadline to the wait: `wait(futures, timeout: deadline)`.")
                try require(elapsed < deadline.seconds * 2, .promptness,
                    "fetchAll took \(String(format: "%.2f", elapsed)) s for a deadline of \(String(format: "%.2f", deadline.seconds)) s: it gave the deadline to each late fetch in turn, instead of one deadline for all",
                    advice: "Wait once for all of the futures with the deadline, not once per future.")
                try requireRanOnPool(witness, pool, "a fetch")
                try requireEqual(report.pages, ["u0": "page u0", "u2": "page u2"], .result,
                    "`pages` must hold exactly the pages that arrived in time",
                    advice: "After the deadline, a done future's `result()` does not wait. Did you wait at all before looking?")
                try requireEqual(report.failures.keys.sorted(), ["u3"], .errors, "`failures` must hold exactly the fetches that failed in time")
                try require(isPlanted(report.failures["u3"], planted), .errors,
                    "the error kept for u3 is not the error its fetch threw",
                    expected: "\(planted)", actual: "\(show(report.failures["u3"])) (\(report.failures["u3"].map { "\(type(of: $0))" } ?? "none"))")
                let late = ["u1", "u4", "u5", "u6", "u7", "u8", "u9"]
                try requireEqual(report.late.sorted(), late, .result, "`late` must list the fetches not done by the deadline, each once")
                try requireEqual(report.late, late, .order, "`late` must list the late fetches in input order",
                    advice: "Walk the URLs in order (`zip(urls, futures)`) and test `notDone.contains(future)`; a Set has no order.")
                try require(startedLate.all.isEmpty, .cancellation,
                    "\(startedLate.all.joined(separator: ", ")) had not started by the deadline, and ran anyway afterwards",
                    advice: "`cancel()` each future that is not done: the ones still queued then never run.")
                try requireEqual(fetched.all.sorted(), ["u0", "u1", "u2", "u3", "u4", "u5"], .result,
                    "each URL must be fetched at most once, and the queued ones not at all")
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
                let waited = slow.timedOut
                slow.open()
                ctx.shutDown(pool)
                try require(!waited, .promptness, "fetchAll did not return at the deadline: it waited for the slow fetch v0")
                try requireEqual(report.late, ["v0", "v1", "v2"], .result, "every fetch was late: `late` must list them all, in input order")
                let ranAnyway = ["v1", "v2"].filter { fetched.contains($0) }
                try require(ranAnyway.isEmpty, .cancellation,
                    "\(ranAnyway.joined(separator: " and ")) had not started by the deadline, and ran anyway afterwards",
                    advice: "`cancel()` each future that is not done: the ones still queued then never run.")
            },
            Scenario("returns as soon as everything is done, long before the deadline", timeLimit: 12) { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let started = ContinuousClock.now
                    let deadline = ctx.seconds(4)
                    let report = try ctx.step("calling fetchAll([w0, w1, w2], deadline: \(deadline)) where every fetch is quick") {
                        try impl.fetchAll(["w0", "w1", "w2"], pool, deadline) { url in "page \(url)" }
                    }
                    let elapsed = (ContinuousClock.now - started).seconds
                    try require(elapsed < deadline.seconds * 0.75, .promptness,
                        "fetchAll took \(String(format: "%.1f", elapsed)) s although every fetch was done at once: it waited out the deadline of \(String(format: "%.1f", deadline.seconds)) s",
                        advice: "`wait(futures, timeout:)` returns as soon as all are done; a sleep does not.")
                    try requireEqual(report.pages, ["w0": "page w0", "w1": "page w1", "w2": "page w2"], .result, "every page arrived in time")
                    try requireEqual(report.late, [], .result, "nothing was late")
                    let empty = try ctx.step("calling fetchAll([])") { try impl.fetchAll([], pool, deadline) { $0 } }
                    try require(empty.pages.isEmpty && empty.failures.isEmpty && empty.late.isEmpty, .result, "no URLs: an empty report")
                    try require((ContinuousClock.now - started).seconds < deadline.seconds * 1.5, .promptness,
                        "fetchAll of no URLs waited out the deadline")
                }
            },
        ]
    }
}
