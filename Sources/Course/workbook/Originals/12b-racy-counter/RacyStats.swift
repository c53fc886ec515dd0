// Exercise 12b · Fix the racy counter                                      lesson 12: Pitfalls
//
// `UsageStats` counts the requests a server has served and the bytes it has sent. Requests are
// served on many worker threads at once, and each one calls `record(bytes:)`.
//
// As written, the class compiles only because it says `@unchecked Sendable`: "compiler, do
// not check this class, I promise it is safe to share between threads". The promise is false:
// `requests += 1` is a read, an add and a write, and two threads doing it at the same time
// lose updates. Without `@unchecked`, Swift 6 refuses the class, and that refusal is the
// point: it turns a race you might never see into an error you cannot miss.
//
//   1. Remove `@unchecked` and make `UsageStats` a real `Sendable`: keep the counts in a
//      `LockedValue` (ConcurrentFutures), so that every change is made under a lock.
//   2. `snapshot` must read both numbers under the same lock, so that it never shows the
//      requests of one moment with the bytes of another.
//   3. Write `serveAll`: serve every request on `pool` (`serve(size)` returns the bytes it
//      sent), record each in `stats`, and return once all are served. If a request fails,
//      throw its error (after the others were served).
//
// From ExerciseKit:  struct UsageSnapshot { var requests: Int; var bytes: Int }
//
// Check it:   swift run workbook check 12b        Stuck?  swift run workbook hint 12b
import ConcurrentFutures
import ExerciseKit

public final class UsageStats: UsageRecording, @unchecked Sendable {
    private var requests = 0
    private var bytes = 0

    public init() {}

    public func record(bytes count: Int) {
        requests += 1
        bytes += count
    }

    public var snapshot: UsageSnapshot {
        UsageSnapshot(requests: requests, bytes: bytes)
    }
}

public func serveAll(
    _ sizes: [Int],
    on pool: ThreadPoolExecutor,
    stats: UsageStats,
    serve: @escaping @Sendable (Int) throws -> Int
) throws {
    try todo("fix UsageStats first; then serve every request on the pool and record each one")
}
