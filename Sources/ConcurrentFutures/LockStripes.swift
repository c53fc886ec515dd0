import SystemPlatform

/// A fixed set of mutexes shared by many objects: each object locks the mutex its address
/// picks. This is *lock striping*; the Objective-C runtime guards atomic properties the same
/// way (`StripedMap`), and Java's `ConcurrentHashMap` once guarded its segments so.
///
///     let mutex = LockStripes.forFutures.mutex(for: future)
///     pthread_mutex_lock(mutex)
///     // ... read or change the future's state ...
///     pthread_mutex_unlock(mutex)
///
/// Why `Future` uses it instead of a mutex of its own: a pool creates a future for every task,
/// a million of them in a benchmark, and a mutex of its own would be a second allocation per
/// future (a `pthread_mutex_t` must not move, so it cannot be a stored property) plus its set-up
/// and tear-down. Measured on `bench --suite submit`: malloc and free were a third of the
/// submitting thread's time. With stripes a future is one allocation, and the benchmark ran
/// about 20 % faster.
///
/// The price, and why it is safe here: two futures whose addresses pick the same stripe share
/// a mutex, so one may wait briefly for the other. That is only correct because a future holds
/// its lock for a few instructions, never blocks or calls out while holding it, and never holds
/// two locks at once; under those rules sharing cannot deadlock. "Calls out" includes releasing
/// the last reference to an object inside the lock: its `deinit` would run there (see
/// `Future.Storage.end(as:)`). 256 stripes keep the chance of two busy futures sharing one
/// small.
final class LockStripes: @unchecked Sendable {
    /// The stripes every `Future` uses.
    static let forFutures = LockStripes(count: 256)

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

    // No deinit: `forFutures` lives as long as the process.

    /// The mutex that guards `object`.
    func mutex(for object: AnyObject) -> UnsafeMutablePointer<pthread_mutex_t> {
        let address = UInt(bitPattern: ObjectIdentifier(object))
        // Heap objects are 16-byte aligned, so the lowest 4 bits are always zero: skip them.
        // Folding in higher bits spreads objects that sit a power of two apart.
        let index = Int(truncatingIfNeeded: (address >> 4) ^ (address >> 12)) & (count - 1)
        return (base + index * LockStripes.stride).assumingMemoryBound(to: pthread_mutex_t.self)
    }
}
