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
/// 2. **Wake exactly as many as needed.** `submit` wakes a sleeping worker only when the queue
///    holds more tasks than the workers already on their way: the watchers, and those woken but
///    not yet awake. Waking costs the submitting thread a system call; a wake-up nobody needed
///    also costs the woken worker a context switch for nothing.
/// 3. **Never touch the parking lock when nobody sleeps.** The number of sleepers is also kept
///    in an atomic, so a `submit` on a busy pool (nobody asleep) reads one number and goes on.
///
///     // a worker, after finding the queue empty:
///     if parking.startWatching() { ...watch...; parking.stopWatching() }
///     else { parking.sleep(unless: { !queue.isEmpty || queue.isClosed }) }
///     // submit, after appending:
///     parking.taskQueued(queueLength: queue.count)
///
/// Why no wake-up is lost without a shared lock: a worker going to sleep first counts itself
/// in `sleepers`, then looks at the queue once more; `submit` first appends, then reads
/// `sleepers`. Both with sequentially consistent atomics, so at least one of the two sees the
/// other: the worker sees the task and does not sleep, or `submit` sees the sleeper and takes
/// the parking lock to signal it, which it can only get once the worker is waiting.
///
/// What it saves, measured (Sources/Measuring/bench/README.md, "Scaling to 16 cores"): with every
/// idle worker spinning and every submit waking a sleeper, the pool ran a quarter as fast with 4
/// workers as with one on 16 cores; with one watcher, as fast (see `maximumWatchers` for how
/// many watch on a given machine).
///
/// (That 16-core run also had *claims*: an atomic count of unclaimed tasks that a watcher
/// decremented before it took the pool's one lock, so that watchers did not crowd the lock that
/// submitting threads needed. With `WorkQueue`, watchers meet only other workers at the take
/// lock, and the count was one more memory location that every `submit` and every take wrote,
/// so it went with the single lock.)
final class WorkerParking: @unchecked Sendable {
    /// How long a watcher watches the queue before it sleeps.
    static let watchTime: Int64 = 50_000  // nanoseconds
    /// The most workers that watch at once: one per four cores, at least one and at most four,
    /// so that watchers never take the cores that the threads submitting work need. (On 2 cores,
    /// two watchers made a `submit` → `result()` round trip take 18 µs instead of 5.5 µs in
    /// about half the rounds of `bench --suite latency`: the submitting thread waited for a core.)
    static let maximumWatchers = min(4, max(1, availableProcessorCount() / 4))

    private let lock = ConditionLock()
    /// Sleeping workers already signalled but not yet awake. Guarded by `lock`.
    private var wakeupsInFlight = 0

    /// Workers asleep on the condition variable: changed only under `lock`, and read without it
    /// by `taskQueued` (see "Why no wake-up is lost" above).
    private let sleepers = Atomic<Int>(0)
    /// Workers watching the queue right now.
    private let watching = Atomic<Int>(0)

    /// Idle workers: asleep or watching.
    var idle: Int { sleepers.load(ordering: .relaxed) + watching.load(ordering: .relaxed) }

    /// A worker found the queue empty: may it watch (`true`), or must it sleep?
    func startWatching() -> Bool {
        var count = watching.load(ordering: .relaxed)
        while count < WorkerParking.maximumWatchers {
            let (exchanged, original) = watching.compareExchange(
                expected: count, desired: count + 1, ordering: .relaxed)
            if exchanged { return true }
            count = original
        }
        return false
    }

    /// A watcher stops watching: it saw a task, or its time is up.
    func stopWatching() {
        watching.subtract(1, ordering: .relaxed)
    }

    /// Watches, without any lock, until `hasWork` is `true` (returns `true`) or `watchTime` has
    /// passed (`false`). Yields the processor between looks (`BriefWatch`), so that on a busy
    /// machine a watcher does not take a core from a thread with real work.
    static func watch(until hasWork: () -> Bool) -> Bool {
        BriefWatch.until(watchingFor: watchTime, hasWork)
    }

    /// Sleeps until woken, unless `hasWork` is already `true` once this worker counts as a
    /// sleeper. Returns when woken (or spuriously): look at the queue again.
    func sleep(unless hasWork: () -> Bool) {
        lock.lock()
        sleepers.add(1, ordering: .sequentiallyConsistent)
        if !hasWork() { lock.wait() }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        // Whatever woke us (a signal, a broadcast, or nothing at all: wake-ups can be
        // spurious), one wake-up fewer is on its way. Counting low only costs an extra signal
        // later; every woken worker looks at the queue again.
        if wakeupsInFlight > 0 { wakeupsInFlight -= 1 }
        lock.unlock()
    }

    /// Called by `submit` after it appended a task: wakes one sleeping worker if the tasks in
    /// the queue (`queueLength`, read only when someone sleeps: it reads a count that every
    /// worker's take writes) outnumber the workers on their way.
    func taskQueued(queueLength: @autoclosure () -> Int) {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        lock.lock()
        let wake = queueLength() > wakeupsInFlight + watching.load(ordering: .relaxed)
            && sleepers.load(ordering: .relaxed) > wakeupsInFlight
        if wake { wakeupsInFlight += 1 }
        lock.unlock()
        if wake { lock.signal() }
    }

    /// Wakes every sleeping worker (the pool shut down or broke: they must look again).
    func wakeAll() {
        lock.withLock { wakeupsInFlight = sleepers.load(ordering: .relaxed) }
        lock.broadcast()
    }
}
