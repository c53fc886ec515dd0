// Exercise 04a · The fastest mirror                                  lesson 04: asCompleted
//
// The same file is on several mirrors. Ask them all at once and report each answer the moment
// it arrives, fastest first, so that the user sees progress, and so that the program knows as
// early as possible which mirror to use. Write `raceMirrors` so that it:
//
//   1. starts `download(mirror)` for every mirror on `pool` (it returns the file's size, or
//      throws when the mirror is down);
//   2. calls `report(mirror, outcome)` once per mirror, on the calling thread, the moment that
//      mirror's download finishes: in finishing order, not in the order of `mirrors`. The
//      outcome is `.success(size)` or `.failure(error)` with the download's own error; a
//      failing mirror does not stop the others from being reported;
//   3. returns the first mirror (in finishing order) whose download succeeded, or `nil` if
//      none did.
//
// What you need: `asCompleted(futures)` yields futures as they finish:
// `while let future = try completed.next() { ... }`. It yields futures, not inputs: keep a
// dictionary from each future to its mirror (futures can be dictionary keys).
// `Result { try future.result() }` turns a future's outcome into a `Result`.
//
// Check it:   swift run workbook check 04a        Stuck?  swift run workbook hint 04a
import ConcurrentFutures
import ExerciseKit

public func raceMirrors(
    _ mirrors: [String],
    on pool: ThreadPoolExecutor,
    download: @escaping @Sendable (String) throws -> Int,
    report: (String, Result<Int, any Error>) -> Void
) throws -> String? {
    return try todo("submit every download, then report each one as it completes (asCompleted)")
}
