import ConcurrentFutures
import ExerciseKit

/// 03b Tiny items, few tasks: chunked map over zip, at most maxTasks tasks, more than one worker.
public enum Check03b: ExerciseCheck {
    public typealias Multiply = @Sendable (Int, Int) -> Int
    public struct Implementation: Sendable {
        public var lineTotals: @Sendable ([Int], [Int], ThreadPoolExecutor, Int, @escaping Multiply) throws -> [Int]
        public init(lineTotals: @escaping @Sendable ([Int], [Int], ThreadPoolExecutor, Int, @escaping Multiply) throws -> [Int]) {
            self.lineTotals = lineTotals
        }
    }

    public static let exerciseID = "03b"

    static func call(_ impl: Implementation, _ ctx: CheckContext, _ prices: [Int], _ quantities: [Int], _ pool: ThreadPoolExecutor,
                     maxTasks: Int, _ multiply: @escaping Multiply) throws -> [Int] {
        do {
            return try ctx.step("calling lineTotals(\(prices.count) prices, \(quantities.count) quantities, maxTasks: \(maxTasks))") {
                try impl.lineTotals(prices, quantities, pool, maxTasks, multiply)
            }
        } catch let error as InvalidArgumentError {
            throw CheckFailure(.result, "lineTotals threw \(error)",
                advice: "`map` needs a chunk size of at least 1, even when there are fewer lines than tasks (or none).")
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("10,000 lines: right totals, in order, with at most maxTasks tasks") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let prices = (0..<10_000).map { $0 % 97 + 1 }
                    let quantities = (0..<10_000).map { $0 % 13 }
                    let witness = ThreadWitness()
                    let calls = ConcurrencyProbe()
                    let totals = try call(impl, ctx, prices, quantities, pool, maxTasks: 8) { price, quantity in
                        calls.measure {
                            if calls.calls % 100 == 1 { witness.note() }
                            return price * quantity
                        }
                    }
                    try requireRanOnPool(witness, pool, "the multiplying")
                    try requireEqual(totals, zip(prices, quantities).map { $0 * $1 }, .result,
                        "the line totals are wrong or out of order")
                    try requireEqual(calls.calls, 10_000, .result, "multiply must be called once per line")
                    let tasks = pool.statistics.submitted
                    try require(tasks <= 8, .limit, "lineTotals submitted more tasks than maxTasks allows",
                        expected: "at most 8 tasks for 10,000 lines", actual: "\(tasks) tasks",
                        advice: "Give `map` a `chunkSize`: each task then runs that many lines. With n lines and at most m tasks, a chunk needs n/m lines, rounded up.")
                }
            },
            Scenario("the chunks run on more than one worker at once") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let overlap = ctx.rendezvous("two workers multiplying at the same time", distinctThreads: true)
                    let prices = Array(repeating: 2, count: 1000)
                    let quantities = Array(repeating: 3, count: 1000)
                    let totals = try call(impl, ctx, prices, quantities, pool, maxTasks: 4) { price, quantity in
                        overlap.arrive()
                        return price * quantity
                    }
                    try requireEqual(totals, Array(repeating: 6, count: 1000), .result, "the line totals are wrong")
                    try require(overlap.met, .concurrency,
                        "every line was multiplied on one thread: the work was not shared between workers",
                        advice: "Use several chunks (`chunkSize` smaller than the number of lines) so that several workers can take one each, and run them on the pool.")
                }
            },
            Scenario("at most maxTasks tasks however the lines divide, and more than one for more than one line") { ctx in
                for (lines, maxTasks) in [(10, 3), (99, 10), (7, 7), (5, 8), (2, 5), (1, 4), (100, 1)] {
                    try ctx.withPool(maxWorkers: 4) { pool in
                        let prices = (1...lines).map { $0 * 3 }
                        let quantities = (1...lines).map { $0 % 5 + 1 }
                        let totals = try call(impl, ctx, prices, quantities, pool, maxTasks: maxTasks) { $0 * $1 }
                        try requireEqual(totals, zip(prices, quantities).map { $0 * $1 }, .result,
                            "the line totals for \(lines) lines and maxTasks \(maxTasks) are wrong or out of order")
                        let tasks = pool.statistics.submitted
                        try require(tasks <= maxTasks, .limit,
                            "lineTotals submitted more tasks than maxTasks allows for \(lines) lines",
                            expected: "at most \(maxTasks) tasks", actual: "\(tasks) tasks",
                            advice: "Round the chunk size up: with n lines and at most m tasks, `(n + m - 1) / m` lines per chunk. Rounding down leaves a few lines for one more task.")
                        let wanted = min(lines, maxTasks, 2)
                        try require(tasks >= wanted, .concurrency,
                            "lineTotals put \(lines) lines in \(tasks) task\(tasks == 1 ? "" : "s") with maxTasks \(maxTasks): the workers cannot share them",
                            expected: "at least \(wanted) tasks", actual: "\(tasks)",
                            advice: "A chunk is a part of the lines: `chunkSize` smaller than the number of lines, so that there is more than one.")
                    }
                }
            },
            Scenario("lists of different lengths: the extra items are ignored") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let totals = try call(impl, ctx, [1, 2, 3, 4, 5], [10, 20, 30], pool, maxTasks: 2) { $0 * $1 }
                    try requireEqual(totals, [10, 40, 90], .result, "lineTotals must stop at the shorter list, as zip does")
                    try require(pool.statistics.submitted == 2, .concurrency,
                        "3 lines with maxTasks 2 need 2 tasks of up to 2 lines: the chunk size must count the lines, the shorter list",
                        expected: "2 tasks", actual: "\(pool.statistics.submitted)",
                        advice: "The number of lines is `min(prices.count, quantities.count)`.")
                }
            },
            Scenario("an invoice with no lines gives no totals, and no error") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let totals = try call(impl, ctx, [], [], pool, maxTasks: 8) { $0 * $1 }
                    try requireEqual(totals, [], .result, "an empty invoice has no line totals")
                }
            },
        ]
    }
}
