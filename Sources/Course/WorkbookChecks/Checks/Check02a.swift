import ConcurrentFutures
import Foundation

/// 02a Two pages at once: both fetches in flight together, on the caller's pool, each once,
/// joined first-then-second whatever order they finish in; errors unchanged; no task waits for
/// another (a pool of one worker is enough).
public enum Check02a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var fetchBoth: @Sendable (String, String, ThreadPoolExecutor, @escaping @Sendable (String) throws -> String) throws -> String
        public init(fetchBoth: @escaping @Sendable (String, String, ThreadPoolExecutor, @escaping @Sendable (String) throws -> String) throws -> String) {
            self.fetchBoth = fetchBoth
        }
    }

    public static let exerciseID = "02a"

    /// Fails unless every path was fetched exactly once.
    static func requireFetchedOnce(_ fetches: EventLog, _ paths: [String]) throws {
        try requireEqual(fetches.all.sorted(), paths.sorted(), .result,
            "each page must be fetched exactly once",
            advice: "One `pool.submit { try fetch(path) }` per page; read each future's result once, and do not fetch again after an error.")
    }

    /// Calls fetchBoth and expects it to throw exactly `planted`.
    ///
    /// Neither fetch returns or throws before both have started: a right answer submits both
    /// before it waits, and so both are fetched. (Without that hold, an answer built on `map`,
    /// which cancels the calls not started yet when one fails, as Python's does, lost the second
    /// fetch whenever the first failed before a worker had taken the second: a right answer
    /// failing by chance.)
    static func requireThrowsPlanted(_ impl: Implementation, _ ctx: CheckContext, _ first: String, _ second: String,
                                     failing: String, _ planted: PlantedError, workers: Int = 4) throws {
        let pool = try ctx.pool(maxWorkers: workers)
        let bothStarted = ctx.rendezvous("both fetches started")
        let fetches = EventLog()
        let error = try ctx.step("calling fetchBoth(\"\(first)\", \"\(second)\") where fetching \(failing) throws") {
            try requireThrows(.errors, "fetchBoth returned although fetching \"\(failing)\" threw an error",
                advice: "`try future.result()` rethrows the task's error: let it propagate.") {
                try impl.fetchBoth(first, second, pool) { path in
                    fetches.record(path)
                    bothStarted.arrive()
                    if path == failing { throw planted }
                    return "<page \(path)>"
                }
            }
        }
        ctx.shutDown(pool)
        try require(isPlanted(error, planted), .errors,
            "fetchBoth threw a different error from the one the fetch threw",
            expected: "\(planted), the very error fetch threw", actual: "\(show(error)) (\(type(of: error)))",
            advice: "Do not wrap, replace or copy the error: `try future.result()` rethrows it as it was.")
        try requireFetchedOnce(fetches, [first, second])
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("fetches both pages at the same time, each once, on the pool it is given, and joins them in order") { ctx in
                let pool = try ctx.pool(maxWorkers: 4)
                let overlap = ctx.rendezvous("both fetches in flight")
                let witness = ThreadWitness()
                let fetches = EventLog()
                let text = try ctx.step("calling fetchBoth(\"/news\", \"/weather\", on: a pool of 4 workers)") {
                    try impl.fetchBoth("/news", "/weather", pool) { path in
                        ctx.labelTask(path)
                        witness.note()
                        fetches.record(path)
                        overlap.arrive()
                        return "<page \(path)>"
                    }
                }
                try requireRanOnPool(witness, pool, "a fetch")
                try require(overlap.met, .concurrency,
                    "the two fetches did not run at the same time: the check waited \(Int(2 * ctx.timeScale)) s for the second to start while the first was still running",
                    advice: "Submit both fetches before you call `result()` on either: `result()` blocks until its task is done.")
                try requireFetchedOnce(fetches, ["/news", "/weather"])
                try require(text != "<page /weather>\n<page /news>", .order,
                    "fetchBoth joined the pages in the order they arrived (/weather first), not first then second",
                    advice: "Join by position: the first future's page, then the second's, whichever finished first.")
                try requireEqual(text, "<page /news>\n<page /weather>", .result,
                    "fetchBoth returned the wrong text",
                    advice: "The first page, a newline (\"\\n\"), then the second page.")
                let stillAccepting = (try? pool.submit { 1 }.result()) == 1
                try require(stillAccepting, .shutdown,
                    "after fetchBoth returned, the pool no longer accepted work: fetchBoth shut it down",
                    advice: "The pool belongs to the caller, who may have more work for it. Do not shut it down.")
                ctx.shutDown(pool)
            },
            Scenario("the second page arrives first: the text still starts with the first page") { ctx in
                let pool = try ctx.pool(maxWorkers: 4)
                let text = try ctx.step("calling fetchBoth(\"/slow\", \"/quick\") where /quick is fetched first") {
                    try impl.fetchBoth("/slow", "/quick", pool) { path in
                        // /slow ends once /quick's worker has completed its future and gone idle.
                        if path == "/slow" { _ = ctx.eventually { pool.statistics.idleWorkers >= 1 } }
                        return "<page \(path)>"
                    }
                }
                ctx.shutDown(pool)
                try requireEqual(text, "<page /slow>\n<page /quick>", .order,
                    "fetchBoth joined the pages in the order they arrived, not first then second",
                    advice: "Join by position: the first future's page, then the second's, whichever finished first.")
            },
            Scenario("an error of the first fetch comes out of fetchBoth unchanged, and nothing is fetched twice") { ctx in
                try requireThrowsPlanted(impl, ctx, "/missing", "/weather", failing: "/missing", PlantedError("404 /missing"))
            },
            Scenario("an error of the second fetch comes out of fetchBoth unchanged, and nothing is fetched twice") { ctx in
                try requireThrowsPlanted(impl, ctx, "/news", "/broken", failing: "/broken", PlantedError("500 /broken"))
            },
            Scenario("works on a pool of a single worker: no task waits for another") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let text = try ctx.step("calling fetchBoth(\"/a\", \"/b\", on: a pool of 1 worker)") {
                        try impl.fetchBoth("/a", "/b", pool) { "<page \($0)>" }
                    }
                    try requireEqual(text, "<page /a>\n<page /b>", .result, "fetchBoth returned the wrong text on a pool of one worker")
                }
            },
            Scenario("two callers at once, on one pool: each gets its own pages") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let allFour = ctx.rendezvous("the four fetches of two callers in flight together", parties: 4)
                    let texts = LockedValue([String: String]())
                    let failures = LockedValue([String]())
                    let callers = ["x", "y"].map { name in
                        Thread {
                            do {
                                let text = try impl.fetchBoth("/\(name)1", "/\(name)2", pool) { path in
                                    ctx.labelTask(path)
                                    allFour.arrive()
                                    return "<page \(path)>"
                                }
                                texts.withLock { $0[name] = text }
                            } catch {
                                failures.withLock { $0.append("\(name): \(error)") }
                            }
                        }
                    }
                    try ctx.step("calling fetchBoth from two threads at once") {
                        for caller in callers { caller.start() }
                        _ = ctx.eventually(timeout: 4) { texts.withLock { $0.count } + failures.withLock { $0.count } == 2 }
                        try requireEqual(failures.withLock { $0 }, [], .unexpectedError, "a call of fetchBoth threw")
                    }
                    try requireEqual(texts.withLock { $0 }, ["x": "<page /x1>\n<page /x2>", "y": "<page /y1>\n<page /y2>"], .result,
                        "two calls at once did not each return their own pages")
                    try require(allFour.met, .concurrency, "two calls at once did not have their four fetches in flight together",
                        advice: "Nothing in fetchBoth should make one call wait for another: no shared lock, no shared state.")
                }
            },
        ]
    }
}
