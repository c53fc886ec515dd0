// Exercise 02b · Receipts first, results later                  lesson 02: submit and Future
//
// A future is a receipt: `submit` hands it over at once, and you redeem it later. Write three
// small functions around receipts for a shop that prices orders on a pool:
//
//   submitOrders(_:on:price:)  submits one task per order, `price(order)`, and returns the
//                              futures at once, in the order of `orders`. It must not wait for
//                              any price: the caller decides when to wait.
//   board(_:)                  tells where the receipts stand right now, without waiting: how
//                              many are waiting (not started yet), running, finished (with a
//                              value or an error), and cancelled.
//   total(of:)                 waits for every receipt and returns the sum of the prices. If a
//                              price failed, it throws that error (the first failing receipt, in
//                              order).
//
// From ExerciseKit:  struct ReceiptBoard { var waiting, running, finished, cancelled: Int }
//                    (its init takes all four, each defaulting to 0)
//
// What you need: `pool.submit { ... }`; a future's `isDone`, `isRunning`, `isCancelled` (a
// cancelled future is done too); `future.result()`.
//
// Check it:   swift run workbook check 02b        Stuck?  swift run workbook hint 02b
import ConcurrentFutures
import ExerciseKit

public func submitOrders(
    _ orders: [Int],
    on pool: ThreadPoolExecutor,
    price: @escaping @Sendable (Int) throws -> Int
) throws -> [Future<Int>] {
    return try todo("submit one task per order and return the futures, without waiting")
}

public func board(_ receipts: [Future<Int>]) -> ReceiptBoard {
    return todo("count the receipts by state", placeholder: ReceiptBoard())
}

public func total(of receipts: [Future<Int>]) throws -> Int {
    return try todo("wait for each receipt and add up the prices")
}
