/// Something a thread sleeps on while it waits for one or more futures to finish.
///
/// This is Python's `_Waiter` from `_base.py`. A future keeps a list of the waiters that are
/// interested in it; when the future becomes done it tells each of them (`notify`), outside its
/// own lock. One waiter can be registered with many futures at once, each registration with a
/// `token` (the future's index in the caller's list), which is how `wait` and `asCompleted`
/// learn *which* futures finished, in the order they finished.
///
/// Only one thread ever sleeps on a given waiter: the one that created it.
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
        others.removeAll { $0.waiter === waiter }
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
