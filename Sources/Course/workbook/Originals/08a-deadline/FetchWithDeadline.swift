// Exercise 08a · Keep what finished in time                                lesson 08: Timeouts
//
// A page is assembled from many fetches, and it must go out on time: after `deadline`, use
// what has arrived and list the rest as late. Write `fetchAll` so that it:
//
//   1. starts `fetch(url)` for every URL on `pool`;
//   2. waits at most `deadline` in all, counted from the call (not `deadline` per fetch), and
//      returns as soon as every fetch is done if that comes first;
//   3. returns a `DeadlineReport`: the pages that arrived in time by URL, the fetches that
//      failed in time by URL (with their own errors), and the URLs that were not done by the
//      deadline, in input order;
//   4. cancels the late fetches that have not started yet (running ones cannot be stopped,
//      and `fetchAll` does not wait for them).
//
// From ExerciseKit:  struct DeadlineReport {
//                        var pages: [String: String]; var failures: [String: any Error]
//                        var late: [String] }
//
// What you need: `wait(futures, timeout: deadline)` returns `(done, notDone)` when all are
// done or when the time is up; running out of time is not an error there.
//
// Check it:   swift run workbook check 08a        Stuck?  swift run workbook hint 08a
import ConcurrentFutures
import ExerciseKit

public func fetchAll(
    _ urls: [String],
    on pool: ThreadPoolExecutor,
    deadline: Duration,
    fetch: @escaping @Sendable (String) throws -> String
) throws -> DeadlineReport {
    return try todo("submit every fetch, wait once with a timeout, then sort done from late")
}
