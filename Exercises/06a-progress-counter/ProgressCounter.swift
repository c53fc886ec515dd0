// Exercise 06a · A progress counter fed by callbacks                    lesson 06: Callbacks
//
// A progress bar needs to know how many tasks are done, without anyone waiting on the tasks.
// Futures can tell you themselves: a done-callback runs the moment a future is done, on
// whichever thread finished it. Write `ProgressCounter` so that:
//
//   1. `track(future)` counts `future` once it is done: as succeeded, failed, or cancelled.
//      A future that is already done is counted at once;
//   2. `progress` returns the counts so far (and the total given to `init`);
//   3. after every count, `onChange` is called with the new progress. Each value of `done`
//      from 1 to the total is reported exactly once, however many threads finish futures at
//      the same time;
//   4. `onChange` may read `progress` itself (a progress bar does). So call it after your
//      lock is released: the lock is not re-entrant, and a thread that takes it twice waits
//      for itself forever.
//
// Callbacks run on many threads at once: the counts need a lock. Keep them in a `LockedValue`
// (ConcurrentFutures), and change or read them only inside `withLock { ... }`.
//
// From ExerciseKit:  struct BatchProgress { var total, succeeded, failed, cancelled: Int; var done: Int }
//                    (init(total:succeeded:failed:cancelled:), the last three defaulting to 0)
//
// What you need: `future.addDoneCallback { future in ... }`; in the callback the future is
// done: `isCancelled`, and `try future.exception()` (the error, or `nil`) do not wait.
//
// Check it:   swift run workbook check 06a        Stuck?  swift run workbook hint 06a
import ConcurrentFutures
import ExerciseKit

public final class ProgressCounter: ProgressTracking {
    private let total: Int
    private let onChange: @Sendable (BatchProgress) -> Void
    // Add the state you need here.

    public init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.total = total
        self.onChange = onChange
    }

    public func track<T>(_ future: Future<T>) {
        todo("add a done-callback that counts the future and then calls onChange", placeholder: ())
    }

    public var progress: BatchProgress {
        todo("return the counts so far, read under the lock", placeholder: BatchProgress(total: total))
    }
}
