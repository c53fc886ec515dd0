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
    // The future → input dictionary: asCompleted hands back futures, and this says whose each is.
    var mirrorOf: [Future<Int>: String] = [:]
    for mirror in mirrors {
        mirrorOf[try pool.submit { try download(mirror) }] = mirror
    }
    var fastest: String?
    let completed = try asCompleted(mirrorOf.keys)
    while let future = try completed.next() {
        let mirror = mirrorOf[future]!
        // The future is done: `result()` does not wait, it returns the size or rethrows the
        // download's error, which `Result` keeps as it is.
        let outcome = Result { try future.result() }
        report(mirror, outcome)
        if fastest == nil, case .success = outcome {
            fastest = mirror
        }
    }
    return fastest
}
