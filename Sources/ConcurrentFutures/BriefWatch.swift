import SystemPlatform

/// How a thread that must wait for a future spends the first few microseconds: it watches the
/// future before it goes to sleep. Python has no such step: `result()` goes straight to
/// `self._condition.wait(timeout)`.
///
///     // in waitUntilDone, before creating a waiter and sleeping on it:
///     if BriefWatch.until(deadline: deadline, { future is done }) { return the state }
///
/// Why: a trivial task on an idle pool ends a microsecond or two after `submit`, sooner than a
/// sleep and a wake-up take (two system calls, and a context switch for the woken thread).
/// Watching meanwhile, the caller sees the end itself and skips both. Between looks it yields
/// the processor, so that on a busy machine (or on one core) the worker that runs the task gets
/// the core it needs.
///
/// What it costs: a thread that waits for a longer task spends `watchTime` (5 µs) of CPU first,
/// and then sleeps as before; a `result(timeout:)` shorter than that watches only as long as its
/// timeout. What it saves, measured with `bench --suite latency` on 2 cores (`submit` →
/// `result()` round trips, one at a time, 2 workers; medians of 5 rounds): p50 6.8 and 11.9 µs
/// in two runs before (it changed from run to run), 0.84–3.0 µs in six runs after; p99 25–29 µs
/// before, 3.4–3.7 µs after. GCD with a semaphore, in the same runs: p50 4.2–5.7 µs. The
/// throughput suites (`submit`, `map`, `asCompleted`, `wait`), two alternations of the builds
/// with and without it, did not move beyond their noise.
enum BriefWatch {
    /// How long a waiting thread watches before it sleeps.
    static let watchTime: Int64 = 5_000  // nanoseconds

    /// Looks at `isDone` until it is `true` (returns `true`), or until `watchTime` has passed or
    /// the deadline has come, whichever is first (returns `false`: time to sleep).
    static func until(deadline: Deadline?, _ isDone: () -> Bool) -> Bool {
        let end = min(monotonicNanoseconds() + watchTime, deadline?.nanoseconds ?? .max)
        repeat {
            if isDone() { return true }
            sched_yield()
        } while monotonicNanoseconds() < end
        return isDone()
    }
}
