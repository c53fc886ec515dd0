import ConcurrentFutures

/// 02a Two pages at once: both fetches in flight together, on the pool; errors unchanged.
public enum Check02a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var fetchBoth: @Sendable (String, String, ThreadPoolExecutor, @escaping @Sendable (String) throws -> String) throws -> String
        public init(fetchBoth: @escaping @Sendable (String, String, ThreadPoolExecutor, @escaping @Sendable (String) throws -> String) throws -> String) {
            self.fetchBoth = fetchBoth
        }
    }

    public static let exerciseID = "02a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("fetches both pages at the same time, on the pool, and joins them in order") { ctx in
                let pool = try ctx.pool(maxWorkers: 4)
                let overlap = ctx.rendezvous("both fetches in flight")
                let witness = ThreadWitness()
                let text = try ctx.step("calling fetchBoth(\"/news\", \"/weather\", on: a pool of 4 workers)") {
                    try impl.fetchBoth("/news", "/weather", pool) { path in
                        witness.note()
                        overlap.arrive()
                        return "<page \(path)>"
                    }
                }
                try requireEqual(text, "<page /news>\n<page /weather>", .result,
                    "fetchBoth returned the wrong text",
                    advice: "The first page, a newline (\"\\n\"), then the second page.")
                try require(overlap.met, .concurrency,
                    "the two fetches did not run at the same time: the check waited \(Int(2 * ctx.timeScale)) s for the second to start while the first was still running",
                    advice: "Submit both fetches before you call `result()` on either: `result()` blocks until its task is done.")
                try require(!witness.sawNonWorker, .concurrency,
                    "a fetch ran on the thread that called fetchBoth, not on the pool",
                    advice: "Run each fetch with `pool.submit { try fetch(path) }`.")
                let stillAccepting = (try? pool.submit { 1 }.result()) == 1
                try require(stillAccepting, .shutdown,
                    "after fetchBoth returned, the pool no longer accepted work: fetchBoth shut it down",
                    advice: "The pool belongs to the caller, who may have more work for it. Do not shut it down.")
                ctx.shutDown(pool)
            },
            Scenario("an error of the first fetch comes out of fetchBoth unchanged") { ctx in
                let pool = try ctx.pool(maxWorkers: 4)
                let error = try ctx.step("calling fetchBoth(\"/missing\", \"/weather\") where fetching /missing throws") {
                    try requireThrows(.errors, "fetchBoth returned although fetching \"/missing\" threw an error",
                        advice: "`result()` rethrows the task's error: let it propagate with `try`.") {
                        try impl.fetchBoth("/missing", "/weather", pool) { path in
                            if path == "/missing" { throw PlantedError("404 /missing") }
                            return "<page \(path)>"
                        }
                    }
                }
                try require(isPlanted(error, "404 /missing"), .errors,
                    "fetchBoth threw a different error from the one the fetch threw",
                    expected: "PlantedError(404 /missing)", actual: show(error),
                    advice: "Do not wrap or replace the error: `try future.result()` rethrows it as it was.")
                ctx.shutDown(pool)
            },
            Scenario("an error of the second fetch comes out of fetchBoth unchanged") { ctx in
                let pool = try ctx.pool(maxWorkers: 4)
                let error = try ctx.step("calling fetchBoth(\"/news\", \"/broken\") where fetching /broken throws") {
                    try requireThrows(.errors, "fetchBoth returned although fetching \"/broken\" threw an error",
                        advice: "Wait for both futures with `try future.result()`; the second one's error comes out of it.") {
                        try impl.fetchBoth("/news", "/broken", pool) { path in
                            if path == "/broken" { throw PlantedError("500 /broken") }
                            return "<page \(path)>"
                        }
                    }
                }
                try require(isPlanted(error, "500 /broken"), .errors,
                    "fetchBoth threw a different error from the one the fetch threw",
                    expected: "PlantedError(500 /broken)", actual: show(error))
                ctx.shutDown(pool)
            },
        ]
    }
}
