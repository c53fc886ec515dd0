import SystemPlatform

/// How a thread that must wait spends the first few microseconds: it watches for what it waits
/// for before it goes to sleep. A thread in `result()` watches its future; an idle worker
/// watches the pool's queue (`WorkerParking.watch`, for longer). Python has no such step:
/// `result()` goes straight to `self._condition.wait(timeout)`.
///
///     // in waitUntilDone, before creating a waiter and sleeping on it:
///     if BriefWatch.until(deadline: deadline, { isDone }) { return state }
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
    /// How long a thread in `result()` watches before it sleeps.
    static let watchTime: Int64 = 5_000  // nanoseconds

    /// Looks at `isDone` until it is `true` (returns `true`), or until `duration` has passed or
    /// the deadline has come, whichever is first (returns `false`: time to sleep). It always
    /// looks at least twice: once before, once after the time is up.
    static func until(deadline: Deadline? = nil, watchingFor duration: Int64 = watchTime, _ isDone: () -> Bool) -> Bool {
        let end = min(monotonicNanoseconds() + duration, deadline?.nanoseconds ?? .max)
        repeat {
            if isDone() { return true }
            sched_yield()
        } while monotonicNanoseconds() < end
        return isDone()
    }
}
