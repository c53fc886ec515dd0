import SystemPlatform

/// How a pool's idle workers wait for work, and when `submit` wakes one. Python's
/// `queue.SimpleQueue.get(block=True)` hides this; with many cores it decides how fast a pool is.
///
/// The rules, all kept under the pool's lock:
/// 1. **One watcher.** A worker that finds the queue empty watches it for a moment
///    (`watchTime`) before it goes to sleep, because the next task usually arrives sooner than
///    a sleep and a wake-up take (two system calls and a context switch, several
///    microseconds). Only one worker watches at a time; the others sleep at once, so an idle
///    pool of 16 workers does not keep 16 cores spinning.
/// 2. **Wake exactly as many as needed.** `submit` wakes a sleeping worker only when the queue
///    holds more tasks than the workers already on their way to it: the watcher, and those
///    woken but not yet awake. Waking costs the submitting thread a system call; a wake-up
///    nobody needed also costs the woken worker a context switch for nothing.
///
///     // submit, lock held:
///     queue.append(item)
///     let wake = parking.shouldWakeSleeper(queued: queue.count)
///     // unlock, then: if wake { condition.signal() }
///
/// Measured (see `Sources/Measuring/bench/README.md`, scaling suite): before these rules every
/// idle worker spun, and on 16 cores the pool ran a third as fast with 4 workers as with one.
struct WorkerParking {
    /// How long the watcher watches the queue before it sleeps.
    static let watchTime: Int64 = 50_000  // nanoseconds

    /// Workers asleep on the pool's condition variable.
    private(set) var sleeping = 0
    /// Sleeping workers already signalled but not yet awake.
    private var wakeupsInFlight = 0
    /// Whether a worker is watching the queue right now.
    private(set) var isWatched = false

    /// Idle workers: asleep or watching.
    var idle: Int { sleeping + (isWatched ? 1 : 0) }

    /// Called by `submit` after it queued a task, lock held: whether to signal one sleeping
    /// worker (after unlocking).
    mutating func shouldWakeSleeper(queued: Int) -> Bool {
        let onTheirWay = wakeupsInFlight + (isWatched ? 1 : 0)
        guard queued > onTheirWay, sleeping > wakeupsInFlight else { return false }
        wakeupsInFlight += 1
        return true
    }

    /// A worker found the queue empty: may it watch (it becomes the watcher), or must it sleep?
    mutating func startWatching() -> Bool {
        guard !isWatched else { return false }
        isWatched = true
        return true
    }

    /// The watcher stops watching: it found a task, or its time is up.
    mutating func stopWatching() {
        isWatched = false
    }

    /// Sleeps on `condition` until signalled (lock held, released while asleep).
    mutating func sleep(on condition: ConditionLock) {
        sleeping += 1
        condition.wait()
        sleeping -= 1
        // Whatever woke us (a signal, a broadcast, or nothing at all: wake-ups can be
        // spurious), one wake-up fewer is on its way. Counting low only costs an extra signal
        // later; every woken worker looks at the queue again.
        if wakeupsInFlight > 0 { wakeupsInFlight -= 1 }
    }

    /// Watches for work without the lock: returns when `hasWork()` says there is some, or after
    /// `watchTime`. Yields the processor between looks, so that on a busy machine the watcher
    /// does not take a core from a thread with real work.
    static func watch(until hasWork: () -> Bool) {
        let end = monotonicNanoseconds() + watchTime
        while !hasWork() && monotonicNanoseconds() < end {
            sched_yield()
        }
    }
}
