import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers02b: [KnownAnswer] = [
        .wrong("02b", "submitOrders waits for the prices", caughtOn: .promptness,
            Check02b.prepare(.init(submitOrders: { orders, pool, price in
                let futures = try orders.map { order in try pool.submit { try price(order) } }
                _ = try wait(futures)
                return futures
            }, board: Solutions.board, total: Solutions.total), module: module)),
        .wrong("02b", "board counts cancelled receipts as finished", caughtOn: .result,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: { receipts in
                var board = ReceiptBoard()
                for receipt in receipts {
                    if receipt.isDone { board.finished += 1 } else if receipt.isRunning { board.running += 1 } else { board.waiting += 1 }
                }
                return board
            }, total: Solutions.total), module: module)),
    ]
}
