import SystemPlatform
import Synchronization

/// How a pool's idle workers wait for work, and when `submit` wakes one. Python's
/// `queue.SimpleQueue.get(block=True)` hides this; on a machine with many cores it decides how
/// fast a pool is.
///
/// The rules:
/// 1. **Watch before sleeping.** A worker that finds the queue empty watches it for a moment
///    (`watchTime`) before it goes to sleep, because the next task usually arrives sooner than
///    a sleep and a wake-up take (two system calls and a context switch, several
///    microseconds). At most `maximumWatchers` watch at a time; the others sleep at once, so an
///    idle pool does not keep its cores spinning, and after `watchTime` nobody spins at all.
/// 2. **Claim before taking.** A task that arrives while several workers watch is claimed by
///    one of them with an atomic decrement of `unclaimed`; only that one takes the pool's lock to
///    fetch it, instead of every watcher rushing at the lock the submitting thread needs.
/// 3. **Wake exactly as many as needed.** `submit` wakes a sleeping worker only when the queue
///    holds more tasks than the workers already on their way: the watchers, and those woken but
///    not yet awake. Waking costs the submitting thread a system call; a wake-up nobody needed
///    also costs the woken worker a context switch for nothing.
///
///     // submit, lock held:
///     queue.append(item); parking.unclaimed.add(1, ...)
///     let wake = parking.shouldWakeSleeper(queued: queue.count)
///     // unlock, then: if wake { condition.signal() }
///
/// What it saves, measured (Sources/Measuring/bench/README.md, "Scaling to 16 cores"): with every
/// idle worker spinning and every submit waking a sleeper, the pool ran a quarter as fast with 4
/// workers as with one on 16 cores; with one watcher and claims, as fast (see
/// `maximumWatchers` for how many watch on a given machine).
struct WorkerParking {
    /// How long a watcher watches the queue before it sleeps.
    static let watchTime: Int64 = 50_000  // nanoseconds
    /// The most workers that watch at once: one per four cores, at least one and at most four,
    /// so that watchers never take the cores that the threads submitting work need. (On 2 cores,
    /// two watchers made a `submit` → `result()` round trip take 18 µs instead of 5.5 µs in
    /// about half the rounds of `bench --suite latency`: the submitting thread waited for a core.)
    static let maximumWatchers = min(4, max(1, availableProcessorCount() / 4))

    /// Workers asleep on the pool's condition variable.
    private(set) var sleeping = 0
    /// Sleeping workers already signalled but not yet awake.
    private var wakeupsInFlight = 0
    /// Workers watching the queue right now.
    private(set) var watching = 0

    /// Idle workers: asleep or watching.
    var idle: Int { sleeping + watching }

    /// Called by `submit` after it queued a task, lock held: whether to signal one sleeping
    /// worker (after unlocking).
    mutating func shouldWakeSleeper(queued: Int) -> Bool {
        guard queued > wakeupsInFlight + watching, sleeping > wakeupsInFlight else { return false }
        wakeupsInFlight += 1
        return true
    }

    /// A worker found the queue empty: may it watch, or must it sleep? Lock held.
    mutating func startWatching() -> Bool {
        guard watching < WorkerParking.maximumWatchers else { return false }
        watching += 1
        return true
    }

    /// A watcher stops watching: it claimed a task, or its time is up. Lock held.
    mutating func stopWatching() {
        watching -= 1
    }

    /// A worker is about to sleep on the pool's condition variable. Lock held.
    ///
    ///     parking.willSleep()
    ///     lock.wait()          // the lock is let go while asleep
    ///     parking.didWake()
    ///
    /// Two calls around the wait, not one method that waits: a `mutating` method holds exclusive
    /// access to the whole struct until it returns, so the compiler may keep its fields in
    /// registers across the wait and write back stale counts, losing what other threads changed
    /// meanwhile. (That happened: a pool of 4 counted 5 sleepers, and a task waited forever.)
    mutating func willSleep() {
        sleeping += 1
    }

    /// A worker woke up on the pool's condition variable. Lock held.
    mutating func didWake() {
        sleeping -= 1
        // Whatever woke us (a signal, a broadcast, or nothing at all: wake-ups can be
        // spurious), one wake-up fewer is on its way. Counting low only costs an extra signal
        // later; every woken worker looks at the queue again.
        if wakeupsInFlight > 0 { wakeupsInFlight -= 1 }
    }

    /// Watches `unclaimed` without the lock until this worker claims a task (returns `true`)
    /// or `watchTime` has passed (`false`). Yields the processor between looks (`BriefWatch`),
    /// so that on a busy machine a watcher does not take a core from a thread with real work.
    static func watch(claimingFrom unclaimed: borrowing Atomic<Int>) -> Bool {
        BriefWatch.until(watchingFor: watchTime) { claim(from: unclaimed) }
    }

    /// Takes one from `unclaimed` if it is above zero; `true` if this thread got it.
    static func claim(from unclaimed: borrowing Atomic<Int>) -> Bool {
        var count = unclaimed.load(ordering: .relaxed)
        while count > 0 {
            let (exchanged, original) = unclaimed.compareExchange(
                expected: count, desired: count - 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            count = original
        }
        return false
    }
}
