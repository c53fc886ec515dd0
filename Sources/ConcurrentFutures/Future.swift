import SystemPlatform

/// The eventual result of a task: a receipt you get at once from `submit`, and redeem later
/// with `result()`.
///
/// Python: `concurrent.futures.Future`.
///
///     let pool = try ThreadPoolExecutor(maxWorkers: 2)
///     let future = try pool.submit { 6 * 7 }     # Python: future = pool.submit(mul, 6, 7)
///     future.isDone                              # future.done()
///     try future.result()                        # future.result()  -> 42
///
/// A future moves through the states of `FutureState`: pending, running, then finished (with a
/// value or an error) or cancelled. Executors create futures and drive them; code that uses an
/// executor only reads them, cancels them and adds callbacks. The public `init()` and the
/// `set...` methods are for people who write executors, and for tests.
///
/// Futures compare by identity: two futures are equal only if they are the same object, which
/// is what lets you keep them in a `Set` or use them as dictionary keys (the
/// "future → input" pattern of lesson 04).
///
/// Thread safety: every method may be called from any thread. Done-callbacks and waiters are
/// told about completion *outside* the future's lock, so a callback may freely call back into
/// the future (`result()`, `addDoneCallback`) without deadlocking.
// `@unchecked Sendable`: the mutable `storage` is only ever touched inside `withStorage`,
// under the future's lock.
public final class Future<Value: Sendable>: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// Everything the lock guards.
    private struct Storage {
        var state: FutureState<Value> = .pending
        var callbacks: [@Sendable (Future<Value>) throws -> Void] = []
        var waiters = WaiterList()
        /// Whether anyone has looked at the outcome (`result`, `exception`, `value`, a
        /// callback). A failed future that nobody looked at reports its error when released.
        var outcomeObserved = false
        /// A pool's future holds the task that will produce its value until a worker takes it
        /// (`takeTaskToRun`); cancelling drops it, freeing whatever it captured at once.
        var task: (@Sendable () throws -> Value)?

        /// Moves to a final state (`cancelled` or `finished`) and hands over what must be dealt
        /// with once the lock is released: the callbacks and waiters to tell, and the task, if a
        /// worker never took it. The task is handed over rather than dropped here because its
        /// closure may hold the last reference to another future, whose `deinit` would take
        /// *its* lock inside ours, and that can be the very same stripe (`LockStripes`): a
        /// thread locking a mutex it already holds waits forever.
        mutating func end(as finalState: FutureState<Value>) -> Ending {
            state = finalState
            defer { callbacks = []; waiters = WaiterList() }
            return Ending(callbacks: callbacks, waiters: waiters, unusedTask: task.take())
        }
    }

    /// What `Storage.end(as:)` hands over, to be used (and released) outside the lock.
    private struct Ending {
        var callbacks: [@Sendable (Future<Value>) throws -> Void] = []
        var waiters = WaiterList()
        var unusedTask: (@Sendable () throws -> Value)?
    }

    /// Guarded by the future's lock: touch it only inside `withStorage`.
    ///
    /// The lock is a plain mutex (not a `ConditionLock`) because nobody ever sleeps on it:
    /// blocked threads sleep on their own `FutureWaiter`. It is not even the future's own: it
    /// is one of the shared `LockStripes.forFutures`, which keeps a future a single
    /// allocation, cheap to create when a pool hands out a million of them.
    private var storage: Storage

    /// Which pool and task this future belongs to; `nil` for a future made with `init()`.
    let origin: TaskOrigin?

    /// Creates a pending future. Executors do this; so can tests and your own executors.
    public init() {
        origin = nil
        storage = Storage()
    }

    /// A future of an executor's task. A thread pool's future also holds the task that will
    /// produce its value, for a worker to take (see `WorkItem`).
    init(origin: TaskOrigin, task: (@Sendable () throws -> Value)? = nil) {
        self.origin = origin
        storage = Storage(task: task)
    }

    deinit {
        // Like asyncio's "Future exception was never retrieved": an error that nobody read
        // would otherwise vanish without a trace.
        let unobservedError: (any Error)? = withStorage { storage in
            guard !storage.outcomeObserved, case .finished(.failure(let error)) = storage.state else { return nil }
            return error
        }
        if let unobservedError, FutureDiagnostics.reportsUnretrievedErrors {
            let subject = origin.map { "\($0)" } ?? "a future made with Future()"
            FutureDiagnostics.report(.errorNeverRetrieved, error: unobservedError, subject: subject)
        }
    }

    /// Runs `body` with the future's lock held and exclusive access to its state.
    private func withStorage<Result>(_ body: (inout Storage) throws -> Result) rethrows -> Result {
        let mutex = LockStripes.forFutures.mutex(for: self)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&storage)
    }

    // MARK: - Reading the state

    /// `true` once the future has a value, an error, or was cancelled. Python: `done()`.
    public var isDone: Bool { withStorage { $0.state.isDone } }

    /// `true` while its task is running. Python: `running()`.
    public var isRunning: Bool {
        withStorage { if case .running = $0.state { true } else { false } }
    }

    /// `true` if the future was cancelled. Python: `cancelled()`.
    public var isCancelled: Bool {
        withStorage { if case .cancelled = $0.state { true } else { false } }
    }

    // MARK: - Cancelling

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
        let ending: Ending? = withStorage { storage in
            switch storage.state {
            case .running, .finished:
                return nil
            case .cancelled:
                return Ending()
            case .pending:
                return storage.end(as: .cancelled)
            }
        }
        guard let ending else { return false }
        announceCompletion(.cancelled, ending)
        return true
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
        case .cancelled: throw CancelledError()
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
        case .cancelled: throw CancelledError()
        case .pending, .running: throw TimeoutError(timeoutMessage(timeout))
        }
    }

    private func timeoutMessage(_ timeout: Duration?) -> String {
        "the future did not finish within \(timeout?.readable ?? "the time given")"
    }

    /// Blocks until the future is done or the deadline passes, and returns the state then.
    /// The caller looks at the outcome, so it counts as observed.
    ///
    /// The waiting thread registers a `FutureWaiter` with the future and sleeps on it; the
    /// thread that finishes the future wakes it. Nobody sleeps while holding the future's lock.
    func waitUntilDone(deadline: Deadline?) throws -> FutureState<Value> {
        // Fast path: most futures are done by the time someone asks, and a waiter (a mutex and
        // a condition variable) is not worth creating for those.
        let stateNow = withStorage { storage in
            storage.outcomeObserved = true
            return storage.state
        }
        if stateNow.isDone { return stateNow }

        let waiter = FutureWaiter()
        let stateBefore: FutureState<Value>? = withStorage { storage in
            if storage.state.isDone { return storage.state }  // it finished in the meantime
            storage.waiters.append(WaiterRegistration(waiter: waiter, token: 0))
            return nil
        }
        if let stateBefore { return stateBefore }

        defer { unregister(waiter) }  // a no-op if completion already took the list
        _ = try sleep(on: waiter, until: deadline, awaiting: [origin])
        return state
    }

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
    public func addDoneCallback(_ callback: @escaping @Sendable (Future<Value>) throws -> Void) {
        let runNow: Bool = withStorage { storage in
            storage.outcomeObserved = true
            if storage.state.isDone { return true }
            storage.callbacks.append(callback)
            return false
        }
        if runNow { invoke(callback) }
    }

    private func invoke(_ callback: @Sendable (Future<Value>) throws -> Void) {
        do {
            try callback(self)
        } catch {
            FutureDiagnostics.report(.callbackError, error: error, subject: description)
        }
    }

    // MARK: - For executors (and tests)

    /// Marks the future as running, or reports that it was cancelled.
    ///
    /// An executor calls this just before it starts the task. It returns `true` if the future
    /// was pending (it is now running: the task must run), `false` if it was cancelled (the
    /// task must be skipped). Python: `set_running_or_notify_cancel()`.
    ///
    /// - Throws: `InvalidStateError` if the future is already running or finished (Python
    ///   raises `RuntimeError('Future in unexpected state')`).
    public func setRunningOrNotifyCancel() throws -> Bool {
        try withStorage { storage in
            switch storage.state {
            case .pending:
                storage.state = .running
                return true
            case .cancelled:
                return false
            case .running, .finished:
                throw InvalidStateError("setRunningOrNotifyCancel() on a future that is already \(storage.state.name): \(describe(storage.state))")
            }
        }
    }

    /// For a pool's worker: pending → running, handing over the task to run. `nil` when the
    /// future was cancelled, or finished by hand with `setResult`, before the task started.
    func takeTaskToRun() -> (@Sendable () throws -> Value)? {
        withStorage { storage in
            guard case .pending = storage.state, let task = storage.task else { return nil }
            storage.state = .running
            storage.task = nil
            return task
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

    /// Moves the future to `finished`, then wakes its waiters and runs its callbacks.
    func finish(with result: Result<Value, any Error>) throws {
        let ending = try withStorage { storage in
            guard !storage.state.isDone else {
                throw InvalidStateError("the future is already \(storage.state.name): \(describe(storage.state))")
            }
            return storage.end(as: .finished(result))
        }
        let completion: Completion = if case .success = result { .returned } else { .threw }
        announceCompletion(completion, ending)
    }

    /// Tells waiters, then callbacks, that the future is done. Never called with the lock held.
    /// (The ending's unused task, if any, is released with it, also outside the lock.)
    private func announceCompletion(_ completion: Completion, _ ending: Ending) {
        for registration in ending.waiters {
            registration.waiter.notify(token: registration.token, completion: completion)
        }
        for callback in ending.callbacks {
            invoke(callback)
        }
    }

    // MARK: - Used by wait, asCompleted and the async bridge

    /// Registers `waiter` unless the future is already done; returns how it ended if it is.
    func register(_ waiter: FutureWaiter, token: Int) -> Completion? {
        withStorage { storage in
            if let completion = storage.state.completion { return completion }
            storage.waiters.append(WaiterRegistration(waiter: waiter, token: token))
            return nil
        }
    }

    func unregister(_ waiter: FutureWaiter) {
        withStorage { storage in storage.waiters.remove(waiter) }
    }

    /// The state right now (a snapshot).
    var state: FutureState<Value> { withStorage { $0.state } }

    /// Counts the outcome as looked at, without looking (see `MapResults`).
    func markOutcomeObserved() {
        withStorage { $0.outcomeObserved = true }
    }

    /// The state right now, counted as a look at the outcome (for `value`).
    func observeState() -> FutureState<Value> {
        withStorage { storage in
            storage.outcomeObserved = true
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
        case .pending, .running, .cancelled: return head + ">"
        }
    }
}
