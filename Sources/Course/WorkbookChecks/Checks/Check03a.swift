import ConcurrentFutures
import Foundation

/// 03a In order, as soon as possible: input order, lazy delivery, concurrency, stop at an error.
public enum Check03a: ExerciseCheck {
    public typealias Render = @Sendable (Int) throws -> String
    public struct Implementation: Sendable {
        public var renderInOrder: @Sendable ([Int], ThreadPoolExecutor, @escaping Render, (Int, String) -> Void) throws -> Void
        public init(renderInOrder: @escaping @Sendable ([Int], ThreadPoolExecutor, @escaping Render, (Int, String) -> Void) throws -> Void) {
            self.renderInOrder = renderInOrder
        }
    }

    public static let exerciseID = "03a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("delivers in page order, even when later pages are rendered first", timeLimit: 8) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let rendered = EventLog()
                    let pageOneHeld = ctx.gate("page 1 is rendered only after pages 2 and 3")
                    let delivered = EventLog()
                    try ctx.step("calling renderInOrder([1, 2, 3, 4, 5, 6], on: a pool of 4 workers)") {
                        try impl.renderInOrder([1, 2, 3, 4, 5, 6], pool, { page in
                            ctx.labelTask("p\(page)")
                            if page == 1 { pageOneHeld.wait() }
                            rendered.record("\(page)")
                            if rendered.contains("2") && rendered.contains("3") { pageOneHeld.open() }
                            return "text of page \(page)"
                        }, { page, text in delivered.record("\(page): \(text)") })
                    }
                    try requireEqual(delivered.all, (1...6).map { "\($0): text of page \($0)" }, .order,
                        "the pages were not delivered once each, in page order, with their own text",
                        advice: "`pool.map` gives results in input order whatever order they finish in; `asCompleted` does not.")
                    try require(!pageOneHeld.timedOut, .concurrency,
                        "page 1 waited for pages 2 and 3 to be rendered, but they did not start while page 1 was rendering: the pages were not rendered at the same time",
                        advice: "Submit every page before waiting for any (that is what `pool.map` does).")
                }
            },
            Scenario("delivers each page as soon as it and the pages before it are ready", timeLimit: 8) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let lastPageHeld = ctx.gate("page 4 is rendered only after page 1 has been delivered")
                    let delivered = EventLog()
                    try ctx.step("calling renderInOrder([1, 2, 3, 4]) where page 4 waits until page 1 is delivered") {
                        try impl.renderInOrder([1, 2, 3, 4], pool, { page in
                            ctx.labelTask("p\(page)")
                            if page == 4 { lastPageHeld.wait() }
                            return "text of page \(page)"
                        }, { page, text in
                            delivered.record("\(page)")
                            if page == 1 { lastPageHeld.open() }
                        })
                    }
                    try require(!lastPageHeld.timedOut, .promptness,
                        "page 1 was not delivered until every page was rendered: the check held page 4 back until page 1 was delivered, and page 1 only came after \(Int(2 * ctx.timeScale)) s",
                        advice: "Deliver as you iterate: `while let x = try results.next() { deliver(...) }`. Collecting everything first (`Array(...)`) waits for the last page.")
                    try requireEqual(delivered.all, ["1", "2", "3", "4"], .order, "the pages were not delivered in order")
                }
            },
            Scenario("renders several pages at once, never more than the pool's workers") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let probe = ConcurrencyProbe()
                    let overlap = ctx.rendezvous("two pages rendering at the same time")
                    let witness = ThreadWitness()
                    var delivered: [Int] = []
                    try ctx.step("calling renderInOrder(1...9, on: a pool of 3 workers)") {
                        try impl.renderInOrder(Array(1...9), pool, { page in
                            ctx.labelTask("p\(page)")
                            return probe.measure {
                                witness.note()
                                overlap.arrive()
                                return "text of page \(page)"
                            }
                        }, { page, _ in delivered.append(page) })
                    }
                    try requireRanOnPool(witness, pool, "a page's rendering")
                    try require(overlap.met, .concurrency, "the pages were rendered one at a time",
                        advice: "Run the renders on the pool: `pool.map(pages) { ... }`.")
                    try require(probe.peak <= 3, .limit, "more pages rendered at once than the pool has workers",
                        expected: "at most 3", actual: "\(probe.peak)")
                    try requireEqual(delivered, Array(1...9), .order, "the pages were not delivered in order")
                }
            },
            Scenario("stops at the first page that fails, throws its error, and the pages not started never render") { ctx in
                let pool = try ctx.pool(maxWorkers: 1)
                // One worker: page 1 renders, page 2 fails, the worker takes page 3 (held until
                // renderInOrder has returned), and pages 4 and 5 are still queued when the error
                // comes out: they must never start.
                let planted = PlantedError("page 2 is corrupt")
                let pageThreeHeld = ctx.gate("page 3 is held until renderInOrder has returned")
                let delivered = EventLog()
                let returned = LockedValue(false)
                let startedAfterReturn = EventLog()
                let error = try ctx.step("calling renderInOrder([1, 2, 3, 4, 5], on: 1 worker) where rendering page 2 throws") {
                    try requireThrows(.errors, "renderInOrder returned although page 2 could not be rendered") {
                        try impl.renderInOrder([1, 2, 3, 4, 5], pool, { page in
                            if returned.withLock({ $0 }) { startedAfterReturn.record("\(page)") }
                            if page == 2 { throw planted }
                            if page == 3 { pageThreeHeld.wait() }
                            return "text of page \(page)"
                        }, { page, _ in delivered.record("\(page)") })
                    }
                }
                returned.withLock { $0 = true }
                pageThreeHeld.open()
                ctx.shutDown(pool)
                try require(isPlanted(error, planted), .errors,
                    "renderInOrder threw a different error from the one rendering page 2 threw",
                    expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                try requireEqual(delivered.all, ["1"], .errors,
                    "the pages delivered before the error are not exactly the pages before page 2",
                    advice: "The error comes out of `next()` when the iteration reaches page 2: deliver what comes before, nothing after.")
                try require(startedAfterReturn.all.isEmpty, .cancellation,
                    "pages \(startedAfterReturn.all.joined(separator: " and ")) had not started when renderInOrder threw, and were rendered anyway afterwards",
                    advice: "When you stop at an error, cancel what has not started: `pool.map` does it for you when its results are dropped; futures of your own need `cancel()`.")
            },
            Scenario("pages in any order, one listed twice: delivered as listed") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let pages = [30, 10, 20, 10, 50]
                    let delivered = EventLog()
                    try ctx.step("calling renderInOrder(\(pages))") {
                        try impl.renderInOrder(pages, pool, { page in "text of page \(page)" }, { page, text in delivered.record("\(page): \(text)") })
                    }
                    try requireEqual(delivered.all, pages.map { "\($0): text of page \($0)" }, .order,
                        "the pages were not delivered in the order of `pages`, once per entry",
                        advice: "The order is the order of the list, not of the page numbers; a page listed twice is delivered twice.")
                    let none = EventLog()
                    try ctx.step("calling renderInOrder([])") { try impl.renderInOrder([], pool, { "\($0)" }, { page, _ in none.record("\(page)") }) }
                    try requireEqual(none.all, [], .result, "no pages, nothing delivered")
                }
            },
        ]
    }
}
