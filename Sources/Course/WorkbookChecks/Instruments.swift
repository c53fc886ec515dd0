import ConcurrentFutures
import Foundation
import SystemPlatform

// Instrumented inputs: what the checks hand to an implementation instead of real work, so that
// they can see what it did (which calls overlapped, in what order things happened) without
// relying on luck with timing. They meet at rendezvous and wait at gates rather than sleep.

/// Something that can say, when a scenario is stopped by the watchdog, who is waiting on it.
protocol Instrument: AnyObject, Sendable {
    /// A line for the watchdog's explanation, or `nil` when there is nothing to say.
    var stuckDescription: String? { get }
    /// Lets every waiter go: the scenario is being abandoned.
    func releaseAll()
}

/// A gate that calls wait at until the check opens it, or until its time runs out.
///
/// A correct implementation never runs into the time-out: the check opens the gate when the
/// implementation has done what it should (returned, reported a result). A wrong one (one that
/// waits for the gated call) runs into it, and the check sees `timedOut`.
public final class Gate: Instrument, @unchecked Sendable {
    // @unchecked: every stored var is guarded by `condition`.
    public let name: String
    private let timeout: Double
    private let condition = NSCondition()
    private var isOpen = false
    private var waiting = 0
    private var expired = false

    init(_ name: String, timeout: Double) {
        self.name = name
        self.timeout = timeout
    }

    /// Blocks until the gate is opened; `false` if the time-out came first (the gate then
    /// stays open, so every later caller passes at once).
    @discardableResult
    public func wait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        waiting += 1
        defer { waiting -= 1 }
        while !isOpen {
            if !condition.wait(until: deadline) && !isOpen {
                expired = true
                isOpen = true
                condition.broadcast()
                return false
            }
        }
        return !expired
    }

    public func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    /// `true` if a caller waited out the time-out: the gate was not opened in time.
    public var timedOut: Bool { condition.lock(); defer { condition.unlock() }; return expired }
    public var isOpened: Bool { condition.lock(); defer { condition.unlock() }; return isOpen }

    var stuckDescription: String? {
        condition.lock(); defer { condition.unlock() }
        guard waiting > 0 else { return nil }
        return "\(waiting) call\(waiting == 1 ? "" : "s") waiting at the check's gate \"\(name)\""
    }

    func releaseAll() { open() }
}

/// A meeting point for the first `parties` callers: each waits until all have arrived, which
/// proves that they ran at the same time. If they do not all arrive within the time-out, the
/// rendezvous is broken (it lets everyone through from then on) and `met` stays `false`.
public final class Rendezvous: Instrument, @unchecked Sendable {
    // @unchecked: every stored var is guarded by `condition`.
    public let name: String
    private let parties: Int
    private let timeout: Double
    private let countDistinctThreads: Bool
    private let condition = NSCondition()
    private var arrived: Set<String> = []
    private var arrivals = 0
    private var state = State.gathering

    private enum State { case gathering, met, broken }

    init(_ name: String, parties: Int, timeout: Double, countDistinctThreads: Bool) {
        self.name = name
        self.parties = parties
        self.timeout = timeout
        self.countDistinctThreads = countDistinctThreads
    }

    /// Waits for the others (only the first `parties` callers wait; later ones pass).
    public func arrive() {
        condition.lock()
        defer { condition.unlock() }
        guard state == .gathering else { return }
        if countDistinctThreads {
            arrived.insert(currentThreadKey())
        } else {
            arrivals += 1
            arrived.insert("\(arrivals)")
        }
        if arrived.count >= parties {
            state = .met
            condition.broadcast()
            return
        }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while state == .gathering {
            if !condition.wait(until: deadline) && state == .gathering {
                state = .broken
                condition.broadcast()
            }
        }
    }

    /// `true` once `parties` callers were inside at the same time.
    public var met: Bool { condition.lock(); defer { condition.unlock() }; return state == .met }
    var arrivedCount: Int { condition.lock(); defer { condition.unlock() }; return arrived.count }

    var stuckDescription: String? {
        condition.lock(); defer { condition.unlock() }
        guard state == .gathering, !arrived.isEmpty else { return nil }
        return "\(arrived.count) of \(parties) calls waiting at the check's rendezvous \"\(name)\" for the others to start"
    }

    func releaseAll() {
        condition.lock()
        if state == .gathering { state = .broken }
        condition.broadcast()
        condition.unlock()
    }
}

/// Counts the calls inside an instrumented function right now, and the most at once.
public final class ConcurrencyProbe: Sendable {
    private let state = LockedValue((current: 0, peak: 0, calls: 0))

    public init() {}

    public func enter() { state.withLock { $0.current += 1; $0.calls += 1; $0.peak = max($0.peak, $0.current) } }
    public func leave() { state.withLock { $0.current -= 1 } }

    public func measure<T>(_ body: () throws -> T) rethrows -> T {
        enter()
        defer { leave() }
        return try body()
    }

    /// The most calls that were inside at the same time.
    public var peak: Int { state.withLock { $0.peak } }
    public var current: Int { state.withLock { $0.current } }
    public var calls: Int { state.withLock { $0.calls } }
}

/// A list of things that happened, in the order they happened, from any thread.
public final class EventLog: Sendable {
    private let entries = LockedValue<[String]>([])

    public init() {}

    public func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    public var all: [String] { entries.withLock { $0 } }
    public func contains(_ entry: String) -> Bool { entries.withLock { $0.contains(entry) } }
    public func count(where predicate: (String) -> Bool) -> Int { entries.withLock { $0.filter(predicate).count } }
    /// The position of `entry` in the log, or `nil`.
    public func position(of entry: String) -> Int? { entries.withLock { $0.firstIndex(of: entry) } }
}

/// Remembers which threads called an instrumented function: their kernel thread ids and, for
/// pool workers, their names. Used to check that work ran on a pool, and that the pool's
/// threads are gone after it was shut down.
public final class ThreadWitness: Sendable {
    private let seen = LockedValue<[UInt64: String?]>([:])

    public init() {}

    /// Call from inside the instrumented function.
    public func note() {
        let id = currentThreadID()
        let name = ThreadPoolExecutor.currentWorkerName
        seen.withLock { $0[id] = name }
    }

    /// How many calls came from threads that are not pool workers.
    public var threadIDs: Set<UInt64> { seen.withLock { Set($0.keys) } }
    public var workerNames: [String] { seen.withLock { $0.values.compactMap { $0 } }.sorted() }
    /// `true` if some call came from a thread that is not a pool worker.
    public var sawNonWorker: Bool { seen.withLock { $0.values.contains { $0 == nil } } }

    /// The threads seen that still exist in this process.
    public var stillAlive: Set<UInt64> { threadIDs.filter { threadExists($0) } }

    /// `true` if every call came from a worker of `pool` (not from the caller's thread, nor from
    /// a pool the implementation made for itself); also when there was no call (other checks
    /// say what is missing then).
    public func sawOnlyWorkers(of pool: ThreadPoolExecutor) -> Bool {
        seen.withLock { Array($0.values) }.allSatisfy { $0?.hasPrefix(pool.threadNamePrefix + "_") == true }
    }

    /// Where the calls ran, for feedback: "c02a-3_0, c02a-3_1" or "the calling thread".
    public var whereCalled: String {
        let names = seen.withLock { Array($0.values) }
        var places = Set(names.map { $0.map { "the pool worker \($0)" } ?? "a thread that is not a pool worker" })
        if places.isEmpty { places.insert("nowhere (no call)") }
        return places.sorted().joined(separator: ", ")
    }
}

/// `ConcurrencyProbe` per key: the most calls inside at once for each key (a host, say).
public final class KeyedConcurrencyProbe: Sendable {
    private let state = LockedValue((current: [String: Int](), peak: [String: Int]()))

    public init() {}

    public func measure<T>(_ key: String, _ body: () throws -> T) rethrows -> T {
        state.withLock { state in
            state.current[key, default: 0] += 1
            state.peak[key] = Swift.max(state.peak[key, default: 0], state.current[key]!)
        }
        defer { state.withLock { $0.current[key, default: 0] -= 1 } }
        return try body()
    }

    /// The most calls at once, by key.
    public var peaks: [String: Int] { state.withLock { $0.peak } }
    /// The calls inside right now for `key`.
    public func current(_ key: String) -> Int { state.withLock { $0.current[key, default: 0] } }
}

/// `Rendezvous` for async callers: the first `parties` callers suspend until all have arrived,
/// or until the time-out breaks it.
public final class AsyncRendezvous: Instrument, Sendable {
    private struct State {
        var arrived = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        var isOver = false
        var met = false
    }

    public let name: String
    private let parties: Int
    private let timeout: Double
    private let state = LockedValue(State())

    init(_ name: String, parties: Int, timeout: Double) {
        self.name = name
        self.parties = parties
        self.timeout = timeout
    }

    public func arrive() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (resumeAll, startTimer): ([CheckedContinuation<Void, Never>], Bool) = state.withLock { state in
                if state.isOver { return ([continuation], false) }
                state.arrived += 1
                state.waiting.append(continuation)
                if state.arrived >= parties {
                    state.isOver = true
                    state.met = true
                    defer { state.waiting = [] }
                    return (state.waiting, false)
                }
                return ([], state.arrived == 1)
            }
            for waiter in resumeAll { waiter.resume() }
            if startTimer {
                let timeout = timeout
                Task.detached { [self] in
                    try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                    releaseAll()
                }
            }
        }
    }

    public var met: Bool { state.withLock { $0.met } }

    var stuckDescription: String? {
        state.withLock { state in
            guard !state.isOver, state.arrived > 0 else { return nil }
            return "\(state.arrived) of \(parties) jobs waiting at the check's rendezvous \"\(name)\" for the others to start"
        }
    }

    func releaseAll() {
        let waiters = state.withLock { state in
            state.isOver = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiters { waiter.resume() }
    }
}
