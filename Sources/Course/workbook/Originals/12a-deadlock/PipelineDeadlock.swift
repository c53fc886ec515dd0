// Exercise 12a · Fix the deadlocking pipeline                              lesson 12: Pitfalls
//
// A two-stage pipeline: each document is parsed into words (`parse`), then the words are
// indexed (`index`, which returns a number). The code below does it, and looks reasonable: a
// task per document parses it, hands the indexing to the same pool, and waits for it.
//
// It deadlocks as soon as the pool is busy. Every worker holds a "parse" task that waits for
// its "index" task, and the index tasks are queued behind the other parse tasks, with no
// worker left to run them. (This pool notices and throws `DeadlockError`; a plain one, like
// Python's, hangs forever.) Run the check once with the `todo` line deleted and read what it
// says about the workers.
//
// Then fix `runPipeline` so that, on any pool, even one with a single worker:
//
//   1. every document is parsed, then its words are indexed, each on `pool`;
//   2. it returns the index results in the order of `documents`;
//   3. documents are parsed at the same time when the pool has the workers for it;
//   4. an error of `parse` or of `index` comes out of `runPipeline` unchanged.
//
// The rule to follow: no task waits for another task of the same pool. Let the caller wait,
// or chain the second stage with a done-callback, which runs when the first is done instead
// of blocking a worker until it is.
//
// Check it:   swift run workbook check 12a        Stuck?  swift run workbook hint 12a
import ConcurrentFutures
import ExerciseKit

public func runPipeline(
    _ documents: [String],
    on pool: ThreadPoolExecutor,
    parse: @escaping @Sendable (String) throws -> [String],
    index: @escaping @Sendable ([String]) throws -> Int
) throws -> [Int] {
    try todo("delete this line, run the check, read why it deadlocks, then fix the code below")
    let futures = try documents.map { document in
        try pool.submit(label: "parse \(document)") {
            let words = try parse(document)
            // The second stage goes to the same pool, and this task waits for it...
            let indexed = try pool.submit(label: "index \(document)") { try index(words) }
            return try indexed.result()
        }
    }
    return try futures.map { try $0.result() }
}
