import SystemPlatform
import Synchronization

/// An executor that runs tasks on a pool of worker threads.
///
/// Python: `concurrent.futures.ThreadPoolExecutor`.
///
///     # Python
///     with ThreadPoolExecutor(max_workers=4) as pool:
///         future = pool.submit(download, url)
///         print(future.result())
///
///     // Swift
///     try withThreadPool(maxWorkers: 4) { pool in
///         let future = try pool.submit { try download(url) }
///         print(try future.result())
///     }
///
/// How it works (the same design as Python's `thread.py`):
///
/// - `submit` creates a `Future` that holds the task, appends a `WorkItem` for it to a FIFO
///   queue, and makes sure some worker will take it: it wakes an idle worker, or starts a new
///   thread if every worker is busy and there are fewer than `maxWorkers`. Threads start
///   lazily, one at a time, and an idle thread is always reused before a new one is started.
/// - Each worker thread loops: take the next work item (sleeping while the queue is empty),
///   run it, complete its future. See `Core.runWorker`.
/// - `shutdown` stops new submissions; the workers finish what is queued, then exit.
///
/// The executor object and its worker threads share a `Core` (the queue, the counters, the
/// lock). The workers keep the core alive, not the executor: when the last reference to the
/// executor goes away without a `shutdown`, the executor shuts the core down without waiting,
/// the workers finish the queue and exit, and no thread is leaked. (Python does the same with
/// a weak reference from the workers to the executor.)
public final class ThreadPoolExecutor: Executor {
    /// The most threads this pool will run at once.
    public let maxWorkers: Int
    /// Worker threads are named "<threadNamePrefix>_<index>".
    public let threadNamePrefix: String
    private let core: Core

    /// Creates a pool. No thread is started until the first `submit`.
    ///
    /// - Parameters:
    ///   - maxWorkers: the most threads that run tasks at once; by default
    ///     `min(32, cores + 4)`, Python's default (enough threads to keep the cores busy while
    ///     some wait for I/O, few enough not to waste memory on a big machine).
    ///   - threadNamePrefix: names the threads "<prefix>_0", "<prefix>_1", ...; by default
    ///     "ThreadPoolExecutor-<n>_<index>", where n counts the pools of the process.
    ///   - initializer: runs once on each new worker thread before it takes any task. If it
    ///     throws, the pool becomes *broken*: queued tasks fail with `BrokenThreadPool` and
    ///     every later `submit` throws it. Python: `initializer` and `initargs` (capture the
    ///     arguments in the closure).
    ///   - observer: called with a `TaskEvent` when a task is submitted, starts and finishes,
    ///     on the thread where that happens. Keep it quick. Costs nothing when `nil`.
    ///   - detectsDeadlocks: when every worker is blocked waiting for tasks of this same
    ///     pool, make those waits throw `DeadlockError` (after about half a second) instead of
    ///     hanging forever. On by default; Python has no such check.
    /// - Throws: `InvalidArgumentError` if `maxWorkers` is 0 or less.
    public init(
        maxWorkers: Int? = nil,
        threadNamePrefix: String = "",
        initializer: (@Sendable () throws -> Void)? = nil,
        observer: (@Sendable (TaskEvent) -> Void)? = nil,
        detectsDeadlocks: Bool = true
    ) throws {
        if let maxWorkers, maxWorkers <= 0 {
            throw InvalidArgumentError("maxWorkers must be greater than 0, got \(maxWorkers)")
        }
        self.maxWorkers = maxWorkers ?? ThreadPoolExecutor.defaultMaxWorkers
        self.threadNamePrefix = threadNamePrefix.isEmpty
            ? "ThreadPoolExecutor-\(poolCounter.add(1, ordering: .relaxed).oldValue)"
            : threadNamePrefix
        core = Core(
            maxWorkers: self.maxWorkers, threadNamePrefix: self.threadNamePrefix,
            initializer: initializer, observer: observer, detectsDeadlocks: detectsDeadlocks
        )
    }

    /// `min(32, cores + 4)`: the default `maxWorkers` (Python 3.8 and later).
    public static var defaultMaxWorkers: Int { min(32, availableProcessorCount() + 4) }

    deinit {
        // Dropped without shutdown(): let the workers finish the queue and exit.
        core.shutdown(wait: false, cancelFutures: false)
    }

    /// Schedules `task` on a worker thread and returns its future at once.
    ///
    /// Python: `submit(fn, /, *args, **kwargs)`.
    ///
    ///     let future = try pool.submit { try String(contentsOfFile: path) }
    ///
    /// - Throws: `ShutdownError` after `shutdown`; `BrokenThreadPool` if an initializer failed.
    @discardableResult
    public func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        try core.submit(label: nil, task)
    }

    /// `submit` with a label that observers (and timelines) show for this task.
    ///
    ///     try pool.submit(label: "page 3") { try fetch(page: 3) }
    @discardableResult
    public func submit<T: Sendable>(label: String?, _ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        try core.submit(label: label, task)
    }

    /// Stops accepting tasks and, by default, waits until every queued task has run and every
    /// worker thread has exited. Calling it again is harmless.
    ///
    /// - Parameters:
    ///   - wait: `false` returns at once; the workers still finish the queue, then exit.
    ///   - cancelFutures: cancel every task that has not started yet (running tasks finish).
    ///
    /// Python: `shutdown(wait=True, *, cancel_futures=False)`.
    public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
        core.shutdown(wait: wait, cancelFutures: cancelFutures)
    }

    /// A snapshot of the pool's counters (submitted, queued, running, completed, ...).
    public var statistics: ExecutorStatistics { core.statistics }

    /// The name of the pool worker running the caller, such as "ThreadPoolExecutor-0_2";
    /// `nil` when called from a thread that is not a pool worker.
    /// Python: `threading.current_thread().name`.
    public static var currentWorkerName: String? { WorkerThread.current?.name }
}

/// Numbers the pools of the process, for default thread names: ThreadPoolExecutor-0, -1, ...
private let poolCounter = Atomic<Int>(0)

extension ThreadPoolExecutor {
    /// The state shared by a pool and its worker threads, and the worker loop.
    ///
    /// Locking: one `ConditionLock` guards the queue and the lifecycle. Workers sleep on it
    /// when the queue is empty; `submit` signals it. Counters that change as tasks finish are
    /// atomics kept by each worker (see `WorkerThread`), so a finishing task never takes the
    /// lock. Everything that can be done outside the lock is: the workers take this lock for
    /// every task, so every instruction spent holding it makes them wait.
    final class Core: @unchecked Sendable {
        /// The pool's life: it accepts work until it is shut down or broken. Both are final;
        /// a broken pool stays broken after `shutdown`, so `submit` keeps saying why.
        private enum Lifecycle {
            case accepting
            case shutDown
            case broken(BrokenThreadPool)
        }

        let maxWorkers: Int
        let threadNamePrefix: String
        let initializer: (@Sendable () throws -> Void)?
        let observer: (@Sendable (TaskEvent) -> Void)?
        let detectsDeadlocks: Bool
        /// Stamped on every future of this pool (see `TaskOrigin`).
        let identity: PoolIdentity

        private let condition = ConditionLock()
        // Guarded by `condition`:
        private var lifecycle = Lifecycle.accepting
        private var queue = FIFOQueue<WorkItem>()
        /// Tasks accepted so far.
        private var acceptedTasks = 0
        private var startedThreads = 0
        private var liveWorkers = 0
        /// Workers asleep in `takeWork`, waiting for a task.
        private var idleWorkers = 0
        /// Idle workers already signalled but not yet awake. Signalling them again would only
        /// cost a system call each, so `submit` signals only when there are more idle workers
        /// than wake-ups on their way.
        private var wakeupsInFlight = 0
        /// Threads that nobody has promised to join yet, by worker index. A worker that exits
        /// while still listed here detaches itself, so its resources are freed; `shutdown(wait:
        /// true)` takes threads out of this list and joins them.
        private var unjoinedThreads: [Int: ThreadHandle] = [:]
        /// Workers blocked in a wait, with no timeout, for tasks of this pool only: by worker
        /// index, the task the worker runs and the tasks it waits for. See `sleep(on:...)`.
        private var blockedWorkers: [Int: (running: TaskOrigin?, awaiting: [TaskOrigin])] = [:]
        /// Since when every live worker has been blocked like that, if it is so now.
        private var everyWorkerBlockedSince: Deadline?

        /// The live workers, by index. Each keeps its own counters (busy, completed, ...):
        /// see `WorkerThread`.
        private var workers: [Int: WorkerThread] = [:]

        // Atomics: updated without the lock.
        /// Tasks that ended without a worker: cancelled by `shutdown(cancelFutures:)`, failed
        /// because the pool broke; and the counts of workers that have exited.
        private let completedTasks = Atomic<Int>(0)
        private let failedTasks = Atomic<Int>(0)
        private let cancelledTasks = Atomic<Int>(0)
        /// A copy of `queue.count` that workers may read without the lock while they spin.
        private let queuedTasks = Atomic<Int>(0)
        /// The number the next submitted task gets: 0, 1, 2, ...
        private let taskNumbers = Atomic<Int>(0)

        /// How many times an idle worker yields the CPU, looking for new work, before it
        /// sleeps (about 20-50 µs on the machines this was measured on).
        static let spinRounds = 100

        /// How long every worker must have been blocked on its own pool before their waits
        /// throw `DeadlockError`, and how often a blocked worker looks.
        static let deadlockGracePeriod = Duration.milliseconds(500)
        static let deadlockCheckInterval = Duration.milliseconds(100)

        init(
            maxWorkers: Int, threadNamePrefix: String,
            initializer: (@Sendable () throws -> Void)?, observer: (@Sendable (TaskEvent) -> Void)?,
            detectsDeadlocks: Bool
        ) {
            self.maxWorkers = maxWorkers
            self.threadNamePrefix = threadNamePrefix
            self.initializer = initializer
            self.observer = observer
            self.detectsDeadlocks = detectsDeadlocks
            identity = PoolIdentity(name: threadNamePrefix)
        }

        // MARK: Submitting

        func submit<T: Sendable>(label: String?, _ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
            let submittedAt = observer == nil ? nil : ContinuousClock.now
            // The future is made before taking the lock: allocating it is the slowest step of
            // submit, and the workers wait for this lock to take their next task. So task
            // numbers come from an atomic counter rather than from a counter under the lock.
            // (A refused submission leaves a gap in the numbers; a pool that refuses once, for
            // being shut down or broken, accepts nothing after that anyway.)
            let taskID = taskNumbers.add(1, ordering: .relaxed).oldValue
            let future = Future(origin: TaskOrigin(pool: identity, taskID: taskID, label: label), task: task)
            let wakeIdleWorker: Bool

            condition.lock()
            switch lifecycle {
            case .accepting:
                break
            case .shutDown:
                condition.unlock()
                throw ShutdownError()
            case .broken(let error):
                condition.unlock()
                throw error
            }
            // Make sure some worker will take the task before queueing it, so that a failure
            // to start a thread can be reported without losing the task.
            if let error = startThreadIfNeeded(forQueueLength: queue.count + 1) {
                condition.unlock()
                throw error
            }
            acceptedTasks += 1
            queue.append(WorkItem(future: future))
            queuedTasks.add(1, ordering: .relaxed)
            wakeIdleWorker = idleWorkers > wakeupsInFlight
            if wakeIdleWorker { wakeupsInFlight += 1 }
            condition.unlock()

            if wakeIdleWorker { condition.signal() }
            if let observer, let submittedAt {
                observer(TaskEvent(taskID: taskID, label: label, kind: .submitted, time: submittedAt))
            }
            return future
        }

        /// Starts one more worker thread if the queue, with `queueLength` tasks, is longer than
        /// the number of workers that will come for work on their own, and `maxWorkers` allows.
        /// Returns an error only if no worker at all could be started. Lock held.
        ///
        /// Workers that "come on their own" are all live workers that are not busy: the idle
        /// ones and the ones just finishing a task. Python asks the same question with its
        /// `_idle_semaphore` ("is some thread idle?"); counting the finishing ones too is what
        /// makes three `submit(...).result()` calls in a row reliably use a single thread.
        private func startThreadIfNeeded(forQueueLength queueLength: Int) -> (any Error)? {
            // Checked first because it is cheap: a pool at full size never starts a thread.
            guard liveWorkers < maxWorkers else { return nil }
            let available = liveWorkers - busyWorkerCount
            guard queueLength > available else { return nil }

            let index = startedThreads
            let worker = WorkerThread(name: "\(threadNamePrefix)_\(index)", index: index, pool: self)
            switch worker.start() {
            case .success(let thread):
                startedThreads += 1
                liveWorkers += 1
                unjoinedThreads[index] = thread
                workers[index] = worker
                updateEveryWorkerBlocked()
                return nil
            case .failure(let error):
                // Keep going with the threads we have; with none, the task cannot run.
                return liveWorkers == 0 ? error : nil
            }
        }

        // MARK: The worker loop

        /// What every worker thread runs. Python: `_worker` in `thread.py`.
        func runWorker(_ worker: WorkerThread) {
            if let initializer {
                do {
                    try initializer()
                } catch {
                    initializerFailed(error)
                    workerExiting(worker)
                    return
                }
            }
            while let item = takeWork(for: worker) {
                worker.currentTask = item.future
                item.run(self, worker)
                worker.currentTask = nil
            }
            workerExiting(worker)
        }

        /// The next task to run; sleeps while the queue is empty. Returns `nil` when the worker
        /// should exit: the pool is shut down (or broken) and nothing is left to do.
        private func takeWork(for worker: WorkerThread) -> WorkItem? {
            condition.lock()
            defer { condition.unlock() }
            var mayStillSpin = true
            while true {
                if let item = queue.popFirst() {
                    queuedTasks.subtract(1, ordering: .relaxed)
                    worker.isBusy.store(true, ordering: .relaxed)
                    return item
                }
                guard case .accepting = lifecycle else { return nil }
                if mayStillSpin {
                    // Spin before sleeping. Going to sleep and being woken costs two system
                    // calls and a context switch, several microseconds; when tasks are short
                    // and keep coming, the next one usually arrives sooner than that. So the
                    // worker first watches the queue for a short while, yielding the CPU to
                    // whoever needs it, and only then parks on the condition variable.
                    mayStillSpin = false
                    condition.unlock()
                    for _ in 0..<Core.spinRounds where queuedTasks.load(ordering: .relaxed) == 0 {
                        sched_yield()
                    }
                    condition.lock()
                    continue
                }
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
                // Whatever woke us (a signal, a broadcast, or nothing at all: wake-ups can be
                // spurious), one wake-up fewer is on its way. Counting low only costs an
                // extra signal later; every woken worker looks at the queue again.
                if wakeupsInFlight > 0 { wakeupsInFlight -= 1 }
            }
        }

        private func workerExiting(_ worker: WorkerThread) {
            condition.lock()
            liveWorkers -= 1
            // Its counts now belong to the pool.
            workers[worker.index] = nil
            completedTasks.add(worker.completedTasks.load(ordering: .relaxed), ordering: .relaxed)
            failedTasks.add(worker.failedTasks.load(ordering: .relaxed), ordering: .relaxed)
            cancelledTasks.add(worker.cancelledTasks.load(ordering: .relaxed), ordering: .relaxed)
            updateEveryWorkerBlocked()
            if let thread = unjoinedThreads.removeValue(forKey: worker.index) {
                thread.detach()  // nobody will join this thread: free it when it ends
            }
            condition.unlock()
            condition.broadcast()  // wakes `shutdown(wait: true)`, which waits for liveWorkers == 0
        }

        /// An initializer threw: the pool is broken. Python: `_initializer_failed`.
        private func initializerFailed(_ error: any Error) {
            let broken = BrokenThreadPool(
                "A thread initializer failed, the thread pool is not usable anymore", underlyingError: error)
            FutureDiagnostics.report(.initializerError, error: error, subject: "thread pool \(threadNamePrefix)")
            condition.lock()
            if case .broken = lifecycle {} else { lifecycle = .broken(broken) }
            let queued = queue.removeAll()
            queuedTasks.subtract(queued.count, ordering: .relaxed)
            condition.unlock()
            condition.broadcast()  // idle workers exit
            for item in queued {
                failedTasks.add(1, ordering: .relaxed)
                report(item.future, .finished(.threw(broken.description)))
                item.future.fail(with: broken)
            }
        }

        // MARK: Hearing from work items (on the worker thread)

        func taskStarted(_ item: some PoolFuture, worker: WorkerThread) {
            // Checked here too, not only in `report`: without an observer, not even the event
            // (and a copy of the worker's name) is made. This runs for every task.
            if observer != nil { report(item, .started(worker: worker.name)) }
        }

        func taskWillComplete<T>(_ item: some PoolFuture, worker: WorkerThread, result: Result<T, any Error>) {
            switch result {
            case .success:
                worker.completedTasks.add(1, ordering: .relaxed)
                report(item, .finished(.returned))
            case .failure(let error):
                worker.failedTasks.add(1, ordering: .relaxed)
                report(item, .finished(.threw(String(describing: error))))
            }
            worker.isBusy.store(false, ordering: .relaxed)
        }

        func taskSkipped(_ item: some PoolFuture, worker: WorkerThread) {
            worker.cancelledTasks.add(1, ordering: .relaxed)
            report(item, .finished(.cancelled))
            worker.isBusy.store(false, ordering: .relaxed)
        }

        /// Workers running a task right now. Lock held.
        private var busyWorkerCount: Int {
            sumOverWorkers { $0.isBusy.load(ordering: .relaxed) ? 1 : 0 }
        }

        /// `count` added up over the live workers. Lock held.
        private func sumOverWorkers(_ count: (WorkerThread) -> Int) -> Int {
            workers.values.reduce(0) { total, worker in total + count(worker) }
        }

        private func report(_ item: some PoolFuture, _ kind: TaskEvent.Kind) {
            guard let observer, let origin = item.origin else { return }
            observer(TaskEvent(taskID: origin.taskID, label: origin.label, kind: kind, time: .now))
        }

        // MARK: Shutting down

        func shutdown(wait: Bool, cancelFutures: Bool) {
            let isOwnWorker = WorkerThread.current?.pool === self
            condition.lock()
            if case .accepting = lifecycle { lifecycle = .shutDown }
            let toCancel = cancelFutures ? queue.removeAll() : []
            queuedTasks.subtract(toCancel.count, ordering: .relaxed)
            var toJoin: [ThreadHandle] = []
            if wait {
                // A worker that shuts down its own pool cannot join itself.
                let ownIndex = isOwnWorker ? WorkerThread.current?.index : nil
                for (index, thread) in unjoinedThreads where index != ownIndex {
                    toJoin.append(thread)
                    unjoinedThreads[index] = nil
                }
            }
            condition.unlock()
            condition.broadcast()  // idle workers wake up, see the shutdown, and exit

            for item in toCancel where item.future.cancel() {
                cancelledTasks.add(1, ordering: .relaxed)
                report(item.future, .finished(.cancelled))
            }
            guard wait else { return }
            for thread in toJoin { thread.join() }
            // Threads joined by someone else (a concurrent shutdown) or already detached:
            // wait until they are gone too.
            condition.lock()
            while liveWorkers > (isOwnWorker ? 1 : 0) { condition.wait() }
            condition.unlock()
        }

        // MARK: Deadlock detection (see DeadlockDetection.swift)

        /// A worker is about to sleep, with no timeout, until one of `awaiting` (all tasks of
        /// this pool) finishes.
        func workerWillBlock(_ worker: WorkerThread, awaiting: [TaskOrigin]) {
            condition.withLock {
                blockedWorkers[worker.index] = (worker.currentTask?.origin, awaiting)
                updateEveryWorkerBlocked()
            }
        }

        func workerDidUnblock(_ worker: WorkerThread) {
            condition.withLock {
                blockedWorkers[worker.index] = nil
                updateEveryWorkerBlocked()
            }
        }

        /// Keeps `everyWorkerBlockedSince` up to date. Lock held.
        private func updateEveryWorkerBlocked() {
            if liveWorkers > 0 && blockedWorkers.count >= liveWorkers {
                if everyWorkerBlockedSince == nil { everyWorkerBlockedSince = .now }
            } else {
                everyWorkerBlockedSince = nil
            }
        }

        /// The deadlock `worker` is part of, if every worker has been blocked on this pool
        /// for the grace period; `nil` otherwise.
        func deadlock(seenBy worker: WorkerThread) -> DeadlockError? {
            condition.withLock {
                guard let since = everyWorkerBlockedSince,
                      since.advanced(by: Core.deadlockGracePeriod).hasPassed
                else { return nil }
                let waits = blockedWorkers.keys.sorted().map { index -> String in
                    let (running, awaiting) = blockedWorkers[index]!
                    let runs = running.map { "runs \($0.taskID.taskName(label: $0.label))" } ?? "runs a task"
                    let shown = awaiting.prefix(3).map { $0.taskID.taskName(label: $0.label) }
                    let more = awaiting.count > 3 ? " and \(awaiting.count - 3) more" : ""
                    return "\(threadNamePrefix)_\(index) \(runs) and waits for \(shown.joined(separator: ", "))\(more)"
                }
                return DeadlockError(
                    "a task is waiting for another task of the same pool, and all \(liveWorkers) "
                        + "worker\(liveWorkers == 1 ? "" : "s") of \(threadNamePrefix) are busy waiting, "
                        + "so nothing can ever finish (\(waits.joined(separator: "; ")); \(queue.count) "
                        + "task\(queue.count == 1 ? "" : "s") queued). Give the pool more workers, or do not "
                        + "wait inside a task for tasks of the same pool."
                )
            }
        }

        // MARK: Statistics

        var statistics: ExecutorStatistics {
            condition.withLock {
                ExecutorStatistics(
                    submitted: acceptedTasks,
                    queued: queue.count,
                    running: busyWorkerCount,
                    completed: completedTasks.load(ordering: .relaxed)
                        + sumOverWorkers { $0.completedTasks.load(ordering: .relaxed) },
                    failed: failedTasks.load(ordering: .relaxed)
                        + sumOverWorkers { $0.failedTasks.load(ordering: .relaxed) },
                    cancelled: cancelledTasks.load(ordering: .relaxed)
                        + sumOverWorkers { $0.cancelledTasks.load(ordering: .relaxed) },
                    liveWorkers: liveWorkers,
                    idleWorkers: idleWorkers
                )
            }
        }
    }
}
