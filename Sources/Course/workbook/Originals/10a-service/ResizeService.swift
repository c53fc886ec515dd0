// Exercise 10a · A service that owns its pool                            lesson 10: Lifecycle
//
// Not every pool lives inside one function. A long-lived service creates its pool once, hands
// it work for as long as it runs, and must shut it down properly when it is closed. Write
// `ResizeService` so that:
//
//   1. `init` creates the service's own pool: at most `maxWorkers` threads, named after the
//      service ("<name>_0", "<name>_1", ...), each running `warmUp()` once before its first job;
//   2. `submit(image)` runs `resize(image)` on the pool and returns its future at once;
//   3. `close()` stops taking jobs, waits until every job already accepted has finished, and
//      returns only when the pool's threads are gone. Calling it again is harmless;
//   4. `abort()` does the same, except that the jobs that have not started are cancelled;
//   5. once closed, `submit` throws `ServiceUnavailable.closed`; if a warm-up failed (the pool
//      is broken), it throws `ServiceUnavailable.broken(error)` with the warm-up's own error.
//
// From ExerciseKit:  enum ServiceUnavailable: Error { case closed; case broken(any Error) }
//
// What you need: `ThreadPoolExecutor(maxWorkers:threadNamePrefix:initializer:)`,
// `shutdown(wait:cancelFutures:)`. `submit` on a pool that is shut down throws `ShutdownError`;
// on a broken pool, `BrokenThreadPool`, whose `underlyingError` is the initializer's error.
//
// Check it:   swift run workbook check 10a        Stuck?  swift run workbook hint 10a
import ConcurrentFutures
import ExerciseKit

public final class ResizeService: ResizeServing {
    private let pool: ThreadPoolExecutor
    private let resize: @Sendable (Int) throws -> Int

    public init(
        name: String,
        maxWorkers: Int,
        warmUp: @escaping @Sendable () throws -> Void,
        resize: @escaping @Sendable (Int) throws -> Int
    ) throws {
        self.resize = resize
        self.pool = try todo("create the service's pool: its size, its thread names, its warm-up")
    }

    public func submit(_ image: Int) throws -> Future<Int> {
        return try todo("submit the resize; turn the pool's errors into ServiceUnavailable")
    }

    public func close() {
        todo("shut the pool down, waiting for the jobs already accepted", placeholder: ())
    }

    public func abort() {
        todo("shut the pool down, cancelling the jobs that have not started", placeholder: ())
    }
}
