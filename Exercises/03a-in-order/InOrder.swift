// Exercise 03a · In order, as soon as possible                              lesson 03: map
//
// A report is rendered page by page, and printed in page order. Rendering is slow, so render
// the pages on a pool, several at a time. Printing must still go in order, and it should not
// wait for the whole report: page 1 can be printed as soon as it is rendered, page 2 as soon as
// it (and page 1) are, and so on. Write `renderInOrder` so that it:
//
//   1. renders every page with `render(page)` on `pool`, several at a time;
//   2. calls `deliver(page, text)` once per page, in the order of `pages`, on the calling
//      thread, each as soon as that page and every page before it are rendered (do not wait
//      for the whole report before delivering the first page);
//   3. stops at the first page whose rendering fails and throws that error: the pages before it
//      have been delivered, none after it, and the pages that have not started rendering by
//      then never do (they are cancelled).
//
// What you need: `pool.map(items) { ... }` runs the calls concurrently and gives the results in
// input order, lazily: `while let x = try results.next() { ... }` waits only for the next one.
//
// Check it:   swift run workbook check 03a        Stuck?  swift run workbook hint 03a
import ConcurrentFutures
import ExerciseKit

public func renderInOrder(
    _ pages: [Int],
    on pool: ThreadPoolExecutor,
    render: @escaping @Sendable (Int) throws -> String,
    deliver: (Int, String) -> Void
) throws {
    try todo("render the pages with pool.map and deliver each result as it comes, in order")
}
