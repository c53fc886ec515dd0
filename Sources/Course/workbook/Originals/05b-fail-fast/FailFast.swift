// Exercise 05b · Fail fast                                                  lesson 05: wait
//
// A batch of jobs is worth something only if every job succeeds. When one fails, say so at
// once: do not wait for the others, and do not start the ones still queued. Write
// `runAllOrFailFast` so that it:
//
//   1. runs `run(job)` for every job on `pool`;
//   2. if all succeed, returns their results in the order of `jobs`;
//   3. as soon as one job fails: cancels the jobs that have not started, and throws
//      `JobFailed(job:error:)` with that job and its own error, without waiting for the jobs
//      that are still running.
//
// From ExerciseKit:  struct JobFailed: Error { var job: Int; var error: any Error }
//
// What you need: `wait(futures, returnWhen: .firstException)` returns as soon as a future
// fails (or when all are done). `future.exception()` gives a done future's error, or `nil`.
//
// Check it:   swift run workbook check 05b        Stuck?  swift run workbook hint 05b
import ConcurrentFutures
import ExerciseKit

public func runAllOrFailFast(
    _ jobs: [Int],
    on pool: ThreadPoolExecutor,
    run: @escaping @Sendable (Int) throws -> Int
) throws -> [Int] {
    return try todo("submit every job, wait with .firstException, then cancel and throw, or collect")
}
