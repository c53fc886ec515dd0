// Exercise 09a · Stop the search                                       lesson 09: Cancellation
//
// A big collection is split into shards, and each shard is searched on the pool for the one
// item that passes an expensive test. Once one searcher finds it, the others are wasting the
// machine: stop them. Write `findFirst` so that it:
//
//   1. searches every shard on `pool`, one task per shard, testing its items in order with
//      `isTarget(item)`;
//   2. returns where the target is, `Found(shard:index:)` (index within the shard), as soon
//      as a searcher has found it; `nil` when no shard holds it (then every item was tested);
//   3. stops the other searchers once the target is found: a running searcher stops before
//      its next test, and a shard that has not started is never searched.
//
// Cancelling a future cannot stop a task that is running: running tasks must stop themselves.
// Share a flag between the tasks (a `LockedValue<Bool>` from ConcurrentFutures, or an `Atomic`
// from Synchronization), set it in the task that finds the target, before that task returns,
// and look at it before every test.
//
// From ExerciseKit:  struct Found { var shard: Int; var index: Int }
//
// Check it:   swift run workbook check 09a        Stuck?  swift run workbook hint 09a
import ConcurrentFutures
import ExerciseKit

public func findFirst(
    in shards: [[Int]],
    on pool: ThreadPoolExecutor,
    isTarget: @escaping @Sendable (Int) -> Bool
) throws -> Found? {
    return try todo("one search task per shard, a shared stop flag, wait until found or all done")
}
