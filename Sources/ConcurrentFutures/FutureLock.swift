import SystemPlatform

/// The lock that guards a future's state. Python gives every future a `threading.Condition`;
/// here nobody ever sleeps on the future itself (waiting threads sleep on their own
/// `FutureWaiter`), so a plain mutex does, and the future does not even own it.
///
///     let lock = FutureLock()
///     lock.withLock(guarding: future) { /* read or change the future's state */ }
///
/// **The trick: lock striping.** Futures share a fixed set of 256 mutexes, and each future
/// locks the one its address picks (the Objective-C runtime guards atomic properties the same
/// way, in its `StripedMap`). `FutureLock` itself stores nothing.
/// - What it saves: a pool makes a future for every task, and a mutex of its own would be a
///   second allocation per future (a `pthread_mutex_t` must not move in memory, so it cannot
///   be a stored property) plus its set-up and tear-down. Measured on `bench --suite submit`
///   (2 cores): malloc and free were a third of the submitting thread's time, and with stripes
///   the benchmark ran about 20 % faster.
/// - What it costs: two futures whose addresses pick the same stripe share a mutex, so one may
///   wait briefly for the other. That is only correct because a future holds its lock for a few
///   instructions, never blocks or calls out while holding it, and never holds two at once;
///   under those rules sharing cannot deadlock. "Calls out" includes releasing the last
///   reference to an object inside the lock, since its `deinit` would run there: the future
///   hands its callbacks and waiters out of the lock before letting go of them.
struct FutureLock: Sendable {
    /// Runs `body` holding the mutex that guards `future`.
    @inline(__always)
    func withLock<Result>(guarding future: AnyObject, _ body: () throws -> Result) rethrows -> Result {
        let mutex = FutureLock.stripes.mutex(for: future)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Whether `a` and `b` are guarded by the same mutex (tests look for such pairs).
    static func sharesMutex(_ a: AnyObject, _ b: AnyObject) -> Bool {
        stripes.mutex(for: a) == stripes.mutex(for: b)
    }

    /// The mutexes every future shares.
    private static let stripes = LockStripes(count: 256)
}

/// A fixed set of mutexes, each on a cache line of its own; an object locks the one its address
/// picks.
private final class LockStripes: @unchecked Sendable {
    /// Each mutex gets a cache line of its own (`cacheLineSize`: 64 bytes, 128 on Apple
    /// silicon), so that threads locking neighbouring stripes do not slow each other down by
    /// writing to the same line (false sharing).
    private static let stride = max(cacheLineSize, MemoryLayout<pthread_mutex_t>.size)
    private let base: UnsafeMutableRawPointer
    private let count: Int

    /// - Parameter count: a power of two, so that `& (count - 1)` picks a stripe.
    init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "the number of stripes must be a power of two")
        self.count = count
        base = .allocate(byteCount: count * LockStripes.stride, alignment: LockStripes.stride)
        for index in 0..<count {
            let mutex = (base + index * LockStripes.stride).bindMemory(to: pthread_mutex_t.self, capacity: 1)
            mutex.initialize(to: pthread_mutex_t())
            precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        }
    }

    // No deinit: the stripes live as long as the process.

    /// The mutex that guards `object`.
    func mutex(for object: AnyObject) -> UnsafeMutablePointer<pthread_mutex_t> {
        let address = UInt(bitPattern: ObjectIdentifier(object))
        // Heap objects are 16-byte aligned, so the lowest 4 bits are always zero: skip them.
        // Folding in higher bits spreads objects that sit a power of two apart.
        let index = Int(truncatingIfNeeded: (address >> 4) ^ (address >> 12)) & (count - 1)
        return (base + index * LockStripes.stride).assumingMemoryBound(to: pthread_mutex_t.self)
    }
}
