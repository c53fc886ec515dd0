/// Something a thread sleeps on while it waits for one or more futures to finish.
///
/// This is Python's `_Waiter` from `_base.py`. A future keeps a list of the waiters that are
/// interested in it; when the future becomes done it tells each of them (`notify`), outside its
/// own lock. One waiter can be registered with many futures at once, each registration with a
/// `token` (the future's index in the caller's list), which is how `wait` and `asCompleted`
/// learn *which* futures finished, in the order they finished.
///
/// Only one thread ever sleeps on a given waiter: the one that created it, through
/// `sleep(on:until:awaiting:)` below.
final class FutureWaiter: @unchecked Sendable {
    private let condition = ConditionLock()
    /// Futures that finished since the last `takeNotifications`, in finishing order.
    /// Guarded by `condition`.
    private var notifications: [(token: Int, completion: Completion)] = []

    /// Called by a future (from the thread that finished it) when it becomes done.
    func notify(token: Int, completion: Completion) {
        condition.withLock { notifications.append((token, completion)) }
        condition.signal()
    }

    /// Sleeps until at least one registered future has finished, or until `deadline`.
    /// Returns what finished since the last call: empty when the deadline passed first.
    func takeNotifications(until deadline: Deadline?) -> [(token: Int, completion: Completion)] {
        condition.lock()
        defer { condition.unlock() }
        while notifications.isEmpty {
            if !condition.wait(until: deadline) { break }  // timed out
        }
        defer { notifications.removeAll() }
        return notifications
    }

    /// What finished since the last call, without sleeping.
    func takeNotificationsWithoutWaiting() -> [(token: Int, completion: Completion)] {
        condition.withLock {
            defer { notifications.removeAll() }
            return notifications
        }
    }
}

/// A waiter's entry in a future's list of waiters.
struct WaiterRegistration: Sendable {
    let waiter: FutureWaiter
    let token: Int
}

/// The waiters registered with one future. Nearly always there are none or one (a thread in
/// `result()`, or one `wait` / `asCompleted`), so the first is kept in line and registering it
/// allocates nothing; further ones go to an array. (`asCompleted` over 100,000 futures registers
/// 100,000 times: an array per future was one more allocation each.)
struct WaiterList: Sendable, Sequence {
    private var first: WaiterRegistration?
    private var others: [WaiterRegistration] = []

    init() {}

    mutating func append(_ registration: WaiterRegistration) {
        if first == nil { first = registration } else { others.append(registration) }
    }

    /// Forgets every registration of `waiter`.
    mutating func remove(_ waiter: FutureWaiter) {
        // Only if there are others: `removeAll(where:)` on an empty array still makes the array
        // unique first, which allocates a buffer (measured with callgrind: about 360
        // instructions and a malloc for each future a `wait` leaves, nearly always with none).
        if !others.isEmpty { others.removeAll { $0.waiter === waiter } }
        if first?.waiter === waiter {
            first = others.isEmpty ? nil : others.removeFirst()
        }
    }

    /// `first`, then the others: registration order.
    func makeIterator() -> Iterator { Iterator(first: first, others: others.makeIterator()) }

    struct Iterator: IteratorProtocol {
        fileprivate var first: WaiterRegistration?
        fileprivate var others: IndexingIterator<[WaiterRegistration]>

        mutating func next() -> WaiterRegistration? {
            if let registration = first {
                first = nil
                return registration
            }
            return others.next()
        }
    }
}

/// Every blocking wait of the library sleeps through this function: `result()`, `wait`,
/// `asCompleted`, `map`. Python: `waiter.event.wait(timeout)`.
///
/// Usually it just sleeps on the waiter. But a pool's worker that waits, with no timeout, only
/// for tasks of its own pool may be part of a deadlock: if *all* the pool's workers end up
/// waiting like this, no task of the pool can ever finish (queued tasks need a free worker;
/// running ones are run by the waiting workers). Such a worker tells its pool's
/// `DeadlockDetector` that it is blocked, sleeps in short slices, and after each slice asks
/// whether every worker has been blocked this way for a while; if so, the wait throws
/// `DeadlockError`, the task usually fails with it, its future completes, and the pool can move
/// again.
///
/// `awaitedOrigins` is evaluated only by a worker whose wait has already lasted one check
/// interval (a tenth of a second): the pass over the awaited futures that it costs is not paid
/// by the many waits that end sooner, nor ever by threads that are no pool's workers.
///
/// - Returns: the notifications, as `FutureWaiter.takeNotifications` does (empty on timeout).
func sleep(
    on waiter: FutureWaiter,
    until deadline: Deadline?,
    awaiting awaitedOrigins: @autoclosure () -> [TaskOrigin?]
) throws -> [(token: Int, completion: Completion)] {
    guard deadline == nil, let worker = WorkerThread.current, let detector = worker.pool.deadlockDetector else {
        return waiter.takeNotifications(until: deadline)
    }
    let firstSlice = waiter.takeNotifications(until: Deadline.now.advanced(by: DeadlockDetector.checkInterval))
    if !firstSlice.isEmpty { return firstSlice }

    let origins = awaitedOrigins()
    guard !origins.isEmpty, origins.allSatisfy({ $0?.pool === detector.pool }) else {
        return waiter.takeNotifications(until: nil)
    }
    detector.workerWillBlock(worker.index, running: worker.currentFuture?.origin, awaiting: origins.compactMap { $0 })
    defer { detector.workerDidUnblock(worker.index) }
    while true {
        let notifications = waiter.takeNotifications(until: Deadline.now.advanced(by: DeadlockDetector.checkInterval))
        if !notifications.isEmpty { return notifications }
        if let deadlock = detector.deadlock(queuedTasks: worker.pool.queuedTaskCount) { throw deadlock }
    }
}
