// Exercise 03b · Tiny items, few tasks                                      lesson 03: map
//
// An invoice has thousands of lines, each a price and a quantity. Multiplying them is tiny
// work: one task per line would spend more on handing tasks out than on the work. Write
// `lineTotals` so that it:
//
//   1. computes `multiply(price, quantity)` for each pair of `prices` and `quantities` (like
//      `zip`: when one list is longer, its extra items are ignored);
//   2. runs on `pool`, submitting at most `maxTasks` tasks in all (each task handles a chunk of
//      lines), and more than one task when there is more than one line, so that several
//      workers share the work;
//   3. returns the totals in line order.
//
// Careful with an invoice that has no lines at all.
//
// What you need: `pool.map(zip(a, b), chunkSize: n) { a, b in ... }`: several inputs, and
// `chunkSize` calls per task. How big must a chunk be for `maxTasks` tasks to cover every line?
//
// Check it:   swift run workbook check 03b        Stuck?  swift run workbook hint 03b
import ConcurrentFutures
import ExerciseKit

public func lineTotals(
    prices: [Int],
    quantities: [Int],
    on pool: ThreadPoolExecutor,
    maxTasks: Int,
    multiply: @escaping @Sendable (Int, Int) -> Int
) throws -> [Int] {
    return try todo("pick a chunk size for at most maxTasks tasks, then map over zip(prices, quantities)")
}
