// Exercise 15b · The same jobs with a TaskGroup             lesson 15: Futures and async/await
//
// When the work is async already, Swift's task groups do what a pool does for blocking work.
// A task group has no `maxWorkers`, though: limiting how many jobs run at once is up to you.
// Write `runWithTaskGroup` so that it:
//
//   1. runs `job(input)` for every input in a child task of a task group;
//   2. never has more than `limit` jobs running at once (and runs several at once when `limit`
//      allows): start `limit` jobs, then one more each time one finishes;
//   3. returns the results in the order of `inputs`;
//   4. on the first error: cancels the jobs still running, starts no new ones, and throws
//      that error.
//
// What you need: `withThrowingTaskGroup(of:)`, `group.addTask { ... }`, `try await
// group.next()`. An error thrown out of the group's body cancels the child tasks that are
// still running.
//
// Check it:   swift run workbook check 15b        Stuck?  swift run workbook hint 15b
import ExerciseKit

public func runWithTaskGroup(
    _ inputs: [Int],
    limit: Int,
    job: @escaping @Sendable (Int) async throws -> Int
) async throws -> [Int] {
    return try todo("a throwing task group: start `limit` jobs, then one more per finished job; keep results by index")
}
