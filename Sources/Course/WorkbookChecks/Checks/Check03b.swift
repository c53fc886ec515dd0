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
                    let totals = try call(impl, ctx, prices, quantities, pool, maxTasks: 8) { $0 * $1 }
                    try requireEqual(totals, zip(prices, quantities).map { $0 * $1 }, .result,
                        "the line totals are wrong or out of order")
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
            Scenario("lists of different lengths: the extra items are ignored") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let totals = try call(impl, ctx, [1, 2, 3, 4, 5], [10, 20, 30], pool, maxTasks: 2) { $0 * $1 }
                    try requireEqual(totals, [10, 40, 90], .result, "lineTotals must stop at the shorter list, as zip does")
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
