import ConcurrentFutures
import ExerciseKit
import Foundation

/// 02b Receipts first: submit returns at once, one receipt per order, in order, on the caller's
/// pool; the board reads states without waiting; total waits for every receipt and throws the
/// error of the first failing receipt in order (not the first to fail).
public enum Check02b: ExerciseCheck {
    public struct Implementation: Sendable {
        public var submitOrders: @Sendable ([Int], ThreadPoolExecutor, @escaping @Sendable (Int) throws -> Int) throws -> [Future<Int>]
        public var board: @Sendable ([Future<Int>]) -> ReceiptBoard
        public var total: @Sendable ([Future<Int>]) throws -> Int
        public init(
            submitOrders: @escaping @Sendable ([Int], ThreadPoolExecutor, @escaping @Sendable (Int) throws -> Int) throws -> [Future<Int>],
            board: @escaping @Sendable ([Future<Int>]) -> ReceiptBoard,
            total: @escaping @Sendable ([Future<Int>]) throws -> Int
        ) {
            (self.submitOrders, self.board, self.total) = (submitOrders, board, total)
        }
    }

    public static let exerciseID = "02b"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("submitOrders hands out one receipt per order at once, in order, on the pool it is given") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let held = ctx.gate("every price is held until submitOrders has returned")
                    let witness = ThreadWitness()
                    let priced = EventLog()
                    let orders = [3, 1, 4, 1, 5]
                    let receipts = try ctx.step("calling submitOrders(\(orders), on: a pool of 2 workers)") {
                        try impl.submitOrders(orders, pool) { order in
                            ctx.labelTask("o\(order)")
                            witness.note()
                            held.wait()
                            priced.record("\(order)")
                            return order * 100
                        }
                    }
                    let finishedEarly = receipts.filter(\.isDone).count
                    held.open()
                    try require(!held.timedOut && finishedEarly == 0, .promptness,
                        "submitOrders waited for the prices before it returned (the check held every price back for \(Int(2 * ctx.timeScale)) s, and submitOrders only returned after that)",
                        advice: "Return the futures as `submit` gives them. Waiting (`result()`) is for whoever holds the receipts later.")
                    try requireEqual(receipts.count, orders.count, .result, "submitOrders must return one future per order")
                    let prices = try receipts.map { try $0.result() }
                    try requireRanOnPool(witness, pool, "a price")
                    try requireEqual(pool.statistics.submitted, orders.count, .result,
                        "submitOrders must submit exactly one task per order", advice: "`orders.map { order in try pool.submit { try price(order) } }`.")
                    try requireEqual(prices, orders.map { $0 * 100 }, .order,
                        "the receipts are not in the order of the orders (or priced the wrong orders)",
                        advice: "Receipt number i must be the future of `price(orders[i])`.")
                    try requireEqual(priced.all.sorted(), orders.map(String.init).sorted(), .result, "each order must be priced exactly once")
                    let none = try ctx.step("calling submitOrders([])") { try impl.submitOrders([], pool) { $0 } }
                    try requireEqual(none.count, 0, .result, "no orders, no receipts")
                }
            },
            Scenario("board tells waiting, running, finished (with a value or an error) and cancelled apart, without waiting") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let held = ctx.gate("the running tasks are held until the check has looked")
                    let started = EventLog()
                    let receipts = try (0..<6).map { order in
                        try pool.submit { () -> Int in
                            started.record("\(order)")
                            held.wait()
                            if order == 0 { throw PlantedError("order 0 has no price") }
                            return order
                        }
                    }
                    ctx.expectUnread(receipts)
                    _ = ctx.eventually { started.all.count == 2 }
                    let whileRunning = ctx.step("calling board(...) with 2 tasks running and 4 waiting") { impl.board(receipts) }
                    try require(!held.timedOut, .promptness,
                        "board waited for the running tasks: the check held them until board had returned, and gave up after \(Int(2 * ctx.timeScale)) s",
                        advice: "board reads `isCancelled`, `isDone` and `isRunning`, which never wait; `result()` and `exception()` wait for an unfinished future.")
                    try requireEqual(whileRunning, ReceiptBoard(waiting: 4, running: 2), .result,
                        "board miscounted 6 receipts of which 2 were running and 4 had not started",
                        advice: "A future that has not started is neither running nor done: `!isRunning && !isDone`.")
                    receipts[4].cancel()
                    let afterCancel = ctx.step("calling board(...) after cancelling a waiting task") { impl.board(receipts) }
                    try requireEqual(afterCancel, ReceiptBoard(waiting: 3, running: 2, cancelled: 1), .result,
                        "board miscounted after one waiting receipt was cancelled",
                        advice: "Check `isCancelled` first: a cancelled future is also `isDone`.")
                    held.open()
                    _ = try wait(receipts)
                    let atTheEnd = ctx.step("calling board(...) when every task is done (one of them threw)") { impl.board(receipts) }
                    try requireEqual(atTheEnd, ReceiptBoard(finished: 5, cancelled: 1), .result,
                        "board miscounted when every receipt was done: 4 with a price, 1 with an error (finished too), 1 cancelled",
                        advice: "A future that ended with an error is finished as well: `isDone` and not `isCancelled`.")
                    try requireEqual(ctx.step("calling board([])") { impl.board([]) }, ReceiptBoard(), .result, "no receipts: every count is 0")
                }
            },
            Scenario("total waits for every receipt and adds the prices up") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let held = ctx.gate("the prices are held until total is waiting for them", timeout: 3)
                    let receipts = try [10, 20, 30].map { price in
                        try pool.submit { () -> Int in held.wait(); return price }
                    }
                    ctx.whenCallerWaits { held.open() }
                    let sum = try ctx.step("calling total(of:) on 3 receipts that finish only once total waits") { try impl.total(receipts) }
                    let waited = held.isOpened
                    held.open()
                    try require(waited, .result,
                        "total returned before the prices were ready: it must wait for every receipt",
                        actual: "total returned \(sum) without waiting",
                        advice: "`try receipt.result()` waits for its task; a receipt that is not done yet still counts.")
                    try requireEqual(sum, 60, .result, "total returned the wrong sum of 10 + 20 + 30")
                    try requireEqual(try ctx.step("calling total(of: [])") { try impl.total([]) }, 0, .result, "the total of no receipts is 0")
                }
            },
            Scenario("total throws the error of the first failing receipt in order, even when a later one fails first") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let first = PlantedError("order 1 cannot be priced")
                    let later = PlantedError("order 3 cannot be priced")
                    let held = ctx.gate("receipt 1 fails only once receipt 3 has failed and total is waiting")
                    let receipts = [
                        try pool.submit { 10 },
                        try pool.submit { () -> Int in held.wait(); throw first },
                        try pool.submit { 30 },
                        try pool.submit { () -> Int in throw later },
                    ]
                    ctx.expectUnread(receipts)
                    _ = try wait([receipts[0], receipts[2], receipts[3]])
                    ctx.whenCallerWaits { held.open() }
                    let error = try ctx.step("calling total(of:) where receipts 1 and 3 fail, 3 first") {
                        try requireThrows(.errors, "total returned a sum although two prices had failed",
                            advice: "`try receipt.result()` rethrows the task's error; let it propagate.") {
                            try impl.total(receipts)
                        }
                    }
                    try require(isPlanted(error, first), .errors,
                        isPlanted(error, later)
                            ? "total threw the error of receipt 3, the first to fail; the first failing receipt in order is receipt 1"
                            : "total threw a different error from the ones the prices threw",
                        expected: "\(first) (receipt 1)", actual: "\(show(error)) (\(type(of: error)))",
                        advice: "Go through the receipts in order and `try receipt.result()` each: the first one that fails in that order throws.")
                }
            },
        ]
    }
}
