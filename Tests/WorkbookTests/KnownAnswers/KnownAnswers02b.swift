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
        .wrong("02b", "submitOrders prices on a pool of its own", caughtOn: .pool,
            Check02b.prepare(.init(submitOrders: { orders, _, price in
                let own = try ThreadPoolExecutor(maxWorkers: 2)
                return try orders.map { order in try own.submit { try price(order) } }
            }, board: Solutions.board, total: Solutions.total), module: module)),
        .wrong("02b", "board counts cancelled receipts as finished", caughtOn: .result,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: { receipts in
                var board = ReceiptBoard()
                for receipt in receipts {
                    if receipt.isDone { board.finished += 1 } else if receipt.isRunning { board.running += 1 } else { board.waiting += 1 }
                }
                return board
            }, total: Solutions.total), module: module)),
        .wrong("02b", "board asks each running receipt for its result", caughtOn: .promptness,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: { receipts in
                var board = ReceiptBoard()
                for receipt in receipts {
                    if receipt.isCancelled { board.cancelled += 1 } else if receipt.isRunning {
                        _ = try? receipt.result()  // "is it finished yet?"
                        board.running += 1
                    } else if receipt.isDone { board.finished += 1 } else { board.waiting += 1 }
                }
                return board
            }, total: Solutions.total), module: module)),
        .wrong("02b", "board counts a receipt that failed as waiting", caughtOn: .result,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: { receipts in
                var board = ReceiptBoard()
                for receipt in receipts {
                    if receipt.isCancelled { board.cancelled += 1 } else if receipt.isRunning { board.running += 1 } else if receipt.isDone, (try? receipt.exception()) == nil {
                        board.finished += 1
                    } else { board.waiting += 1 }
                }
                return board
            }, total: Solutions.total), module: module)),
        .wrong("02b", "total adds up only the receipts that are done already", caughtOn: .result,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: Solutions.board, total: { receipts in
                var sum = 0
                for receipt in receipts where receipt.isDone { sum += try receipt.result() }
                return sum
            }), module: module)),
        .wrong("02b", "total throws the first error to happen (asCompleted)", caughtOn: .errors,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: Solutions.board, total: { receipts in
                var sum = 0
                let completed = try asCompleted(receipts)
                while let receipt = try completed.next() { sum += try receipt.result() }
                return sum
            }), module: module)),
        .wrong("02b", "total waits for the first exception, then throws one of the done receipts' errors", caughtOn: .errors,
            Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: Solutions.board, total: { receipts in
                let (done, _) = try wait(receipts, returnWhen: .firstException)
                for receipt in done { if let error = try receipt.exception() { throw error } }
                return try receipts.reduce(0) { try $0 + $1.result() }
            }), module: module)),
        .right("02b", "a loop of submits, a switch for the board, wait then add",
            Check02b.prepare(.init(submitOrders: { orders, pool, price in
                var receipts: [Future<Int>] = []
                for order in orders { receipts.append(try pool.submit { try price(order) }) }
                return receipts
            }, board: { receipts in
                var board = ReceiptBoard()
                for receipt in receipts {
                    switch (receipt.isCancelled, receipt.isDone, receipt.isRunning) {
                    case (true, _, _): board.cancelled += 1
                    case (false, true, _): board.finished += 1
                    case (false, false, true): board.running += 1
                    case (false, false, false): board.waiting += 1
                    }
                }
                return board
            }, total: { receipts in
                _ = try wait(receipts)
                return try receipts.map { try $0.result() }.reduce(0, +)
            }), module: module)),
    ]
}
