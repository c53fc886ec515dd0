import ConcurrentFutures
import ExerciseKit
import Foundation

/// 02b Receipts first: submit returns at once and in order; the board reads states; total waits.
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
            Scenario("submitOrders hands out the receipts at once, one per order, in order") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let held = ctx.gate("every price is held until submitOrders has returned")
                    let orders = [3, 1, 4, 1, 5]
                    let receipts = try ctx.step("calling submitOrders(\(orders), on: a pool of 2 workers)") {
                        try impl.submitOrders(orders, pool) { order in
                            held.wait()
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
                    try requireEqual(prices, orders.map { $0 * 100 }, .order,
                        "the receipts are not in the order of the orders (or priced the wrong orders)",
                        advice: "Receipt number i must be the future of `price(orders[i])`.")
                }
            },
            Scenario("board tells waiting, running, finished and cancelled apart") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let held = ctx.gate("the running tasks are held until the check has looked")
                    let started = EventLog()
                    let receipts = try (0..<5).map { order in
                        try pool.submit { () -> Int in
                            started.record("\(order)")
                            held.wait()
                            return order
                        }
                    }
                    _ = ctx.eventually { started.all.count == 2 }
                    let whileRunning = ctx.step("calling board(...) with 2 tasks running and 3 waiting") { impl.board(receipts) }
                    try requireEqual(whileRunning, ReceiptBoard(waiting: 3, running: 2), .result,
                        "board miscounted 5 receipts of which 2 were running and 3 had not started",
                        advice: "A future that has not started is neither running nor done: `!isRunning && !isDone`.")
                    receipts[4].cancel()
                    let afterCancel = ctx.step("calling board(...) after cancelling a waiting task") { impl.board(receipts) }
                    try requireEqual(afterCancel, ReceiptBoard(waiting: 2, running: 2, cancelled: 1), .result,
                        "board miscounted after one waiting receipt was cancelled",
                        advice: "Check `isCancelled` first: a cancelled future is also `isDone`.")
                    held.open()
                    _ = try wait(receipts)
                    let atTheEnd = ctx.step("calling board(...) when every task is done") { impl.board(receipts) }
                    try requireEqual(atTheEnd, ReceiptBoard(finished: 4, cancelled: 1), .result,
                        "board miscounted when every receipt was done (4 finished, 1 cancelled)")
                }
            },
            Scenario("total waits for every receipt and adds the prices up") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let held = ctx.gate("the prices are held until total has been called")
                    let receipts = try [10, 20, 30].map { price in
                        try pool.submit { () -> Int in held.wait(); return price }
                    }
                    // Let the prices through a moment after total has started to wait.
                    let opener = Thread { usleep(100_000); held.open() }
                    opener.start()
                    let sum = try ctx.step("calling total(of:) on 3 receipts that finish a little later") { try impl.total(receipts) }
                    try requireEqual(sum, 60, .result, "total returned the wrong sum of 10 + 20 + 30",
                        advice: "Wait for each receipt with `result()`; a receipt that is not done yet still counts.")
                }
            },
            Scenario("total throws the error of a failed price") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let receipts = [
                        try pool.submit { 10 },
                        try pool.submit { () -> Int in throw PlantedError("order 2 cannot be priced") },
                        try pool.submit { 30 },
                    ]
                    ctx.expectUnread(receipts)
                    let error = try ctx.step("calling total(of:) where the second price failed") {
                        try requireThrows(.errors, "total returned a sum although a price had failed",
                            advice: "`try receipt.result()` rethrows the task's error; let it propagate.") {
                            try impl.total(receipts)
                        }
                    }
                    try require(isPlanted(error, "order 2 cannot be priced"), .errors,
                        "total threw a different error from the one the price threw",
                        expected: "PlantedError(order 2 cannot be priced)", actual: show(error))
                }
            },
        ]
    }
}
