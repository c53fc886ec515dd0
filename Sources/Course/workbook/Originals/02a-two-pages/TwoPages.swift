// Exercise 02a · Two pages at once                              lesson 02: submit and Future
//
// Fetching a page is mostly waiting for the network. Fetch two pages one after the other and
// you wait twice; start both, and you wait about once. Write `fetchBoth` so that it:
//
//   1. submits both fetches to `pool` before it waits for either of them;
//   2. returns the first page, a newline, then the second page: "<first page>\n<second page>";
//   3. lets an error thrown by either fetch come out of `fetchBoth` unchanged.
//
// `fetch(path)` returns the page at `path`; it may throw. The pool belongs to the caller: use it,
// do not shut it down.
//
// What you need: `pool.submit { ... }` returns a `Future` at once; `future.result()` waits for
// the task and returns its value (or throws its error).
//
// Check it:   swift run workbook check 02a        Stuck?  swift run workbook hint 02a
import ConcurrentFutures
import ExerciseKit

public func fetchBoth(
    _ first: String,
    _ second: String,
    on pool: ThreadPoolExecutor,
    fetch: @escaping @Sendable (String) throws -> String
) throws -> String {
    return try todo("submit both fetches to `pool`, then wait for both results and join them")
}
