// Exercise 15a · An async API over a pool                   lesson 15: Futures and async/await
//
// Blocking code lives on the pool; async code should never block. Give the pool's work an
// async face. Write `renderAsync` so that it:
//
//   1. runs `render(page)` on `pool` and returns its text (or throws its error);
//   2. never blocks the calling thread while it waits: async code runs on a few shared threads
//      (as many as the machine has cores), and blocking one of them (`result()`) starves every
//      other task. Await the future instead;
//   3. when the calling Task is cancelled while the job is still queued, cancels the job (so
//      that it never runs) and ends with a cancellation error at once.
//
// What you need: `try await future.value` awaits a future without blocking; on its own, it
// ends when the awaiting Task is cancelled, but leaves the future alone (others may wait on
// it). `withTaskCancellationHandler { ... } onCancel: { ... }` runs `onCancel` the moment the
// Task is cancelled.
//
// Check it:   swift run workbook check 15a        Stuck?  swift run workbook hint 15a
import ConcurrentFutures
import ExerciseKit

public func renderAsync(
    _ page: Int,
    on pool: ThreadPoolExecutor,
    render: @escaping @Sendable (Int) throws -> String
) async throws -> String {
    return try todo("submit the render, await the future's value, cancel the future if the Task is cancelled")
}
