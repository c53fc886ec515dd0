/// The eventual result of a task: a receipt you get at once from `submit`, and redeem later
/// with `result()`.
///
/// Python: `concurrent.futures.Future` (`_base.py`). This file follows it method by method.
///
///     let pool = try ThreadPoolExecutor(maxWorkers: 2)
///     let future = try pool.submit { 6 * 7 }     # Python: future = pool.submit(mul, 6, 7)
///     future.isDone                              # future.done()
///     try future.result()                        # future.result()  -> 42
///
/// A future moves through the five states of `FutureState`: pending, running, then finished
/// (with a value or an error), or cancelled. Executors create futures and drive them; code that
/// uses an executor only reads them, cancels them and adds callbacks. The public `init()` and
/// the `set...` methods are for people who write executors, and for tests.
///
/// Futures compare by identity: two futures are equal only if they are the same object, which
/// is what lets you keep them in a `Set` or use them as dictionary keys (the
/// "future → input" pattern of lesson 04).
///
/// Thread safety: every method may be called from any thread. Waiters and done-callbacks are
/// told about completion *outside* the future's lock, so a callback may freely call back into
/// the future (`result()`, `addDoneCallback`) without deadlocking.
// `@unchecked Sendable`: the mutable state (`storage`, `waiters`, `completion`, `outcomeObserved`)
// is only ever touched with the future's `lock` held.
public final class Future<Value: Sendable>: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// What the lock guards that depends on `Value`: Python's `_state`, `_result`/`_exception`
    /// (in the state) and `_done_callbacks`.
    private struct Storage {
        var state: FutureState<Value> = .pending
        var callbacks: [@Sendable (Future<Value>) throws -> Void] = []
    }

    /// Who must hear that the future is done: its waiters, then its callbacks.
    struct Announcement {
        fileprivate var waiters = WaiterList()
        fileprivate var callbacks: [@Sendable (Future<Value>) throws -> Void] = []
        /// Whether done-callbacks will run: a pool's worker is not free until they return.
        var hasCallbacks: Bool { !callbacks.isEmpty }
    }

    private let lock = FutureLock()
    /// Guarded by `lock`: touch it only inside `withLock`.
    private var storage = Storage()

    // Also guarded by `lock`, but kept out of `storage` because they do not depend on `Value`.
    // Code that is not specialized for `Value` (every `deinit`, and `wait` and `asCompleted`,
    // which reach futures through a protocol) pays a run-time lookup of a type's metadata
    // (about 300 instructions) for each look at a type that depends on `Value`; these fields
    // it reads for free. Measured with callgrind, instructions per task on one worker (with the
    // `WaiterList.remove` fix): submit+result 5,520 -> 4,800, `asCompleted` 11,100 -> 9,300,
    // a `wait(.firstCompleted)` loop 8,000 -> 6,200.

    /// Python's `_waiters`: the threads waiting in `result`, `wait` or `asCompleted`.
    private var waiters = WaiterList()
    /// How the future ended, once it is done (what its waiters are told); `nil` before.
    private var completion: Completion?
    /// Whether anyone has looked at the outcome (`result`, `exception`, `value`, a callback).
    /// A failed future that nobody looked at reports its error when released.
    private var outcomeObserved = false

    /// Which pool and task this future belongs to; `nil` for a future made with `init()`.
    let origin: TaskOrigin?

    /// Creates a pending future. Executors do this; so can tests and your own executors.
    public init() {
        origin = nil
    }

    /// A future of an executor's task.
    init(origin: TaskOrigin) {
        self.origin = origin
    }

    deinit {
        // Like asyncio's "Future exception was never retrieved": an error that nobody read
        // would otherwise vanish without a trace.
        // Most futures were read: that answer needs nothing that depends on `Value`.
        guard !lock.withLock(guarding: self, { outcomeObserved }) else { return }
        let unobservedError: (any Error)? = withLock { storage in
            guard case .finished(.failure(let error)) = storage.state else { return nil }
            return error
        }
        if let unobservedError, FutureDiagnostics.reportsUnretrievedErrors {
            let subject = origin.map { "\($0)" } ?? "a future made with Future()"
            FutureDiagnostics.report(.errorNeverRetrieved, error: unobservedError, subject: subject)
        }
    }

    /// Moves to a final state and hands over who must hear of it. They are told, and released,
    /// once the lock is let go (see `FutureLock` for why nothing may be released inside it).
    /// Lock held.
    private func end(_ storage: inout Storage, as finalState: FutureState<Value>) -> Announcement {
        storage.state = finalState
        completion = finalState.completion
        defer { waiters = WaiterList(); storage.callbacks = [] }
        return Announcement(waiters: waiters, callbacks: storage.callbacks)
    }

    /// Runs `body` with the future's lock held and exclusive access to its state.
    /// Python: `with self._condition:`.
    private func withLock<Result>(_ body: (inout Storage) throws -> Result) rethrows -> Result {
        try lock.withLock(guarding: self) { try body(&storage) }
    }

    // MARK: - Cancelling and reading the state

    /// Cancels the future if its task has not started yet.
    ///
    /// Returns `true` if the future is now cancelled (also when it already was), `false` when
    /// its task is running or has finished: running work cannot be stopped from outside (lesson
    /// 09 shows how tasks can stop cooperatively). Python: `cancel()`.
    ///
    ///     let queued = try pool.submit { slowWork() }
    ///     if queued.cancel() { print("it will never run") }
    @discardableResult
    public func cancel() -> Bool {
        let announcement: Announcement? = withLock { storage in
            switch storage.state {
            case .running, .finished:
                return nil
            case .cancelled, .cancelledAndNotified:
                return Announcement()
            case .pending:
                return end(&storage, as: .cancelled)
            }
        }
        guard let announcement else { return false }
        announce(announcement, .cancelled)
        return true
    }

    /// `true` if the future was cancelled. Python: `cancelled()`.
    public var isCancelled: Bool { withLock { $0.state.isCancelled } }

    /// `true` while its task is running. Python: `running()`.
    public var isRunning: Bool {
        withLock { if case .running = $0.state { true } else { false } }
    }

    /// `true` once the future has a value, an error, or was cancelled. Python: `done()`.
    public var isDone: Bool { lock.withLock(guarding: self) { completion != nil } }

    // MARK: - Callbacks

    /// Calls `callback` with this future once it is done (finished or cancelled).
    ///
    /// Callbacks run exactly once each, in the order they were added, on the thread that
    /// finishes the future (a pool's worker thread, or the thread that calls `cancel()`). If
    /// the future is already done, the callback runs at once, on the calling thread. A callback
    /// that throws has its error reported on standard error (see `FutureDiagnostics`); the other
    /// callbacks and the pool are not affected. Python: `add_done_callback(fn)`.
    ///
    ///     future.addDoneCallback { f in print("done:", try f.result()) }
    ///
    /// A pool's worker counts as busy until the callbacks of its task's future have returned,
    /// so a callback may submit to the same pool and wait. A callback that completes another
    /// future (`cancel()`, `setResult`) has that future's callbacks run on the same thread; in
    /// a long chain of such callbacks, the deeper ones run after the outer ones return instead
    /// of nesting, so no chain can overflow the stack (see `CallbackCascade`).
    public func addDoneCallback(_ callback: @escaping @Sendable (Future<Value>) throws -> Void) {
        let runNow: Bool = withLock { storage in
            outcomeObserved = true
            if storage.state.isDone { return true }
            storage.callbacks.append(callback)
            return false
        }
        if runNow { invoke(callback) }
    }

    /// Python: the `try: callback(self) except Exception: LOGGER.exception(...)` of
    /// `_invoke_callbacks`.
    private func invoke(_ callback: @Sendable (Future<Value>) throws -> Void) {
        do {
            try callback(self)
        } catch {
            FutureDiagnostics.report(.callbackError, error: error, subject: description)
        }
    }

    // MARK: - Waiting for the outcome

    /// The task's value, waiting for it if needed.
    ///
    /// - Parameter timeout: how long to wait at most; `nil` waits forever.
    /// - Throws: the task's own error if it threw; `CancelledError` if the future was
    ///   cancelled; `TimeoutError` if `timeout` passed first (the task keeps running);
    ///   `InvalidArgumentError` for a negative timeout; `DeadlockError` when called inside a
    ///   task and this wait can never end (see `DeadlockError`).
    ///
    /// Python: `result(timeout=None)`.
    ///
    ///     let page = try future.result(timeout: .seconds(2))
    public func result(timeout: Duration? = nil) throws -> Value {
        let deadline = try Deadline.after(timeout)
        switch try waitUntilDone(deadline: deadline) {
        case .finished(let result): return try result.get()
        case .cancelled, .cancelledAndNotified: throw CancelledError()
        case .pending, .running: throw TimeoutError(timeoutMessage(timeout))
        }
    }

    /// The error the task threw, or `nil` if it returned normally; waits like `result`.
    ///
    /// - Throws: `CancelledError` if the future was cancelled, `TimeoutError` if `timeout`
    ///   passed first, `InvalidArgumentError` for a negative timeout, `DeadlockError` (see
    ///   `result`).
    ///
    /// Python: `exception(timeout=None)`.
    ///
    ///     if let error = try future.exception() { print("task failed:", error) }
    public func exception(timeout: Duration? = nil) throws -> (any Error)? {
        let deadline = try Deadline.after(timeout)
        switch try waitUntilDone(deadline: deadline) {
        case .finished(.success): return nil
        case .finished(.failure(let error)): return error
        case .cancelled, .cancelledAndNotified: throw CancelledError()
        case .pending, .running: throw TimeoutError(timeoutMessage(timeout))
        }
    }

    private func timeoutMessage(_ timeout: Duration?) -> String {
        "the future did not finish within \(timeout?.readable ?? "the time given")"
    }

    /// Blocks until the future is done or the deadline passes, and returns the state then.
    /// The caller looks at the outcome, so it counts as observed. Python: the
    /// `self._condition.wait(timeout)` of `result()`.
    ///
    /// The waiting thread watches the future for a few microseconds (`BriefWatch`); then it
    /// registers a `FutureWaiter` with the future and sleeps on it, and the thread that finishes
    /// the future wakes it. Nobody sleeps while holding the future's lock.
    func waitUntilDone(deadline: Deadline?) throws -> FutureState<Value> {
        // Fast path: most futures are done by the time someone asks, and a waiter (a mutex and
        // a condition variable) is not worth creating for those.
        let stateNow = withLock { storage in
            outcomeObserved = true
            return storage.state
        }
        if stateNow.isDone { return stateNow }
        // Next: a trivial task often ends within microseconds, sooner than a sleep and a
        // wake-up would take (see `BriefWatch`).
        if BriefWatch.until(deadline: deadline, { isDone }) { return state }

        let waiter = FutureWaiter()
        guard register(waiter, token: 0) == nil else { return state }  // it finished meanwhile
        defer { unregister(waiter) }  // a no-op if completion already took the list
        _ = try sleep(on: waiter, until: deadline, awaiting: [origin])
        return state
    }

    // MARK: - For executors (and tests)

    /// Marks the future as running, or reports that it was cancelled.
    ///
    /// An executor calls this just before it starts the task. It returns `true` if the future
    /// was pending (it is now running: the task must run), `false` if it was cancelled (the
    /// task must be skipped; the future is now `cancelledAndNotified`).
    /// Python: `set_running_or_notify_cancel()`.
    ///
    /// - Throws: `InvalidStateError` if the future is already running or finished, or was
    ///   already reported cancelled (Python raises `RuntimeError('Future in unexpected state')`).
    public func setRunningOrNotifyCancel() throws -> Bool {
        try withLock { storage in
            switch storage.state {
            case .cancelled:
                // Waiters were told by `cancel()` already (see `FutureState`).
                storage.state = .cancelledAndNotified
                return false
            case .pending:
                storage.state = .running
                return true
            case .running, .cancelledAndNotified, .finished:
                throw InvalidStateError("setRunningOrNotifyCancel() on a future that is already \(storage.state.name): \(describe(storage.state))")
            }
        }
    }

    /// Finishes the future with a value. Python: `set_result(result)`.
    /// - Throws: `InvalidStateError` if the future is already finished or cancelled.
    public func setResult(_ value: Value) throws {
        try finish(with: .success(value))
    }

    /// Finishes the future with an error. Python: `set_exception(exception)`.
    /// - Throws: `InvalidStateError` if the future is already finished or cancelled.
    public func setException(_ error: any Error) throws {
        try finish(with: .failure(error))
    }

    /// `setResult` or `setException`: moves the future to `finished`, then wakes its waiters
    /// and runs its callbacks.
    func finish(with result: Result<Value, any Error>) throws {
        announce(try finishQuietly(with: result), Completion(result))
    }

    /// The first half of `finish(with:)`, for a pool's worker: the future is finished, but
    /// nobody has been told yet. The worker looks at whether callbacks will run (it stays busy
    /// while they do), then calls `announce`.
    ///
    /// `whileLocked` sees the announcement inside the future's lock, before any other thread
    /// can see the future done: a worker marks itself free there, so that whoever returns from
    /// `result()` and submits again finds it free (a `result()` that watches, see `BriefWatch`,
    /// returns as soon as the future is done, before `announce`).
    func finishQuietly(
        with result: Result<Value, any Error>, whileLocked: (Announcement) -> Void = { _ in }
    ) throws -> Announcement {
        try withLock { storage in
            guard !storage.state.isDone else {
                throw InvalidStateError("the future is already \(storage.state.name): \(describe(storage.state))")
            }
            let announcement = end(&storage, as: .finished(result))
            whileLocked(announcement)
            return announcement
        }
    }

    /// Tells waiters, then callbacks, that the future is done. Never called with the lock held.
    /// (Python notifies its waiters inside the lock and runs `_invoke_callbacks()` after it.)
    func announce(_ announcement: Announcement, _ completion: Completion) {
        for registration in announcement.waiters {
            registration.waiter.notify(token: registration.token, completion: completion)
        }
        guard announcement.hasCallbacks else { return }
        CallbackCascade.run { [self] in
            for callback in announcement.callbacks { invoke(callback) }
        }
    }

    // MARK: - Used by wait, asCompleted, map and the async bridge

    /// Registers `waiter` unless the future is already done; returns how it ended if it is.
    func register(_ waiter: FutureWaiter, token: Int) -> Completion? {
        lock.withLock(guarding: self) {
            if let completion { return completion }
            waiters.append(WaiterRegistration(waiter: waiter, token: token))
            return nil
        }
    }

    func unregister(_ waiter: FutureWaiter) {
        lock.withLock(guarding: self) { waiters.remove(waiter) }
    }

    /// The state right now (a snapshot).
    var state: FutureState<Value> { withLock { $0.state } }

    /// Counts the outcome as looked at, without looking (see `MapResults`).
    func markOutcomeObserved() {
        withLock { _ in outcomeObserved = true }
    }

    /// The state right now, counted as a look at the outcome (for `value`).
    func observeState() -> FutureState<Value> {
        withLock { storage in
            outcomeObserved = true
            return storage.state
        }
    }

    // MARK: - Identity and description

    public static func == (lhs: Future, rhs: Future) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Like Python's repr: `<Future<Int> at 0x6000... state=finished returned Int>`.
    public var description: String { describe(state) }

    private func describe(_ state: FutureState<Value>) -> String {
        let address = "0x" + String(UInt(bitPattern: ObjectIdentifier(self).hashValue), radix: 16)
        let head = "<Future<\(Value.self)> at \(address) state=\(state.name)"
        switch state {
        case .finished(.success): return head + " returned \(Value.self)>"
        case .finished(.failure(let error)): return head + " raised \(type(of: error))>"
        case .pending, .running, .cancelled, .cancelledAndNotified: return head + ">"
        }
    }
}

extension Completion {
    /// How a future that finished with `result` ended.
    init<Value>(_ result: Result<Value, any Error>) {
        if case .success = result { self = .returned } else { self = .threw }
    }
}
