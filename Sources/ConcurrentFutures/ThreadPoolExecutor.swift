import SystemPlatform
import Synchronization

/// An executor that runs tasks on a pool of worker threads.
///
/// Python: `concurrent.futures.ThreadPoolExecutor` (`thread.py`). This file follows it: `init`,
/// `submit`, `adjustThreadCount`, `initializerFailed`, `shutdown`, and the worker loop
/// `runWorker` (Python's `_worker`).
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
/// How it works, as in Python:
///
/// - `submit` creates a `Future`, appends a `WorkItem` (the future and the task) to the work
///   queue, and makes sure some worker will take it: an idle worker if there is one, else a new
///   thread while there are fewer than `maxWorkers`. Threads start lazily, one at a time.
/// - Each worker loops: take the next work item (waiting while the queue is empty), run it,
///   which completes its future (`WorkItem.run`, Python's `_WorkItem.run`).
/// - `shutdown` stops new submissions; the workers finish what is queued, then exit.
///
/// The executor and its worker threads share a `Core`: the queue (`WorkQueue`), the parking of
/// idle workers (`WorkerParking`), and the pool's state behind one lock. The workers keep the
/// core alive, not the executor: when the last reference to the executor goes away without a
/// `shutdown`, the executor shuts the core down without waiting, the workers finish the queue
/// and exit, and no thread is leaked. (Python does the same with a weak reference from the
/// workers to the executor.)
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
    /// Called from one of the pool's own tasks, `wait: true` cannot wait for the pool to end:
    /// the pool includes the very task that would wait. It shuts the pool down and returns at
    /// once, as `wait: false` does. (Python's worker raises `RuntimeError('cannot join current
    /// thread')` when it meets itself among the threads to join.)
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
    /// Locking, as in Python: the queue has locks of its own (`WorkQueue`: one for the threads
    /// that append, one for the workers that take), and `lock` guards the pool's state (Python's
    /// `_shutdown_lock`): whether it accepts work, and its threads. Idle workers sleep in
    /// `WorkerParking`. So an ordinary `submit`, once the pool has all its threads, takes only
    /// the queue's append lock, and a worker only its take lock. What changes for every
    /// finished task is counted by each worker on its own (`WorkerThread`), so a finishing task
    /// takes no lock of the pool.
    final class Core: @unchecked Sendable {
        /// The pool's life: it accepts work until it is shut down or broken. Both are final;
        /// a broken pool stays broken after `shutdown`, so `submit` keeps saying why.
        /// Python: `_shutdown` and `_broken`.
        private enum Lifecycle {
            case accepting
            case shutDown
            case broken(BrokenThreadPool)
        }

        let maxWorkers: Int
        let threadNamePrefix: String
        let initializer: (@Sendable () throws -> Void)?
        let observer: (@Sendable (TaskEvent) -> Void)?
        /// `nil` when the pool was made with `detectsDeadlocks: false`.
        let deadlockDetector: DeadlockDetector?
        /// Stamped on every future of this pool (see `TaskOrigin`).
        let identity: PoolIdentity

        /// Python: `_work_queue`. Closed when the pool is shut down or breaks.
        private let workQueue = WorkQueue()
        private let parking = WorkerParking()

        private let lock = ConditionLock()
        // Guarded by `lock`:
        private var lifecycle = Lifecycle.accepting
        /// The live workers, by index. Python: `_threads`.
        private var workers: [Int: WorkerThread] = [:]
        private var startedThreads = 0
        /// Threads that nobody has promised to join yet, by worker index. A worker that exits
        /// while still listed here detaches itself, so its resources are freed; `shutdown(wait:
        /// true)` takes threads out of this list and joins them.
        private var unjoinedThreads: [Int: ThreadHandle] = [:]

        // Atomics: read or updated without the lock.
        /// Whether `maxWorkers` threads have started: from then on, `submit` never needs `lock`
        /// (workers exit only once the pool is shut down or broken, which `submit` learns from
        /// the closed queue).
        private let hasAllWorkers = Atomic<Bool>(false)
        /// The number the next submitted task gets: 0, 1, 2, ...
        private let taskNumbers = Atomic<Int>(0)
        /// Outcomes of tasks that ended without a worker (cancelled by `shutdown(cancelFutures:)`,
        /// failed because the pool broke), and the counts of workers that have exited.
        private let completedTasks = Atomic<Int>(0)
        private let failedTasks = Atomic<Int>(0)
        private let cancelledTasks = Atomic<Int>(0)

        init(
            maxWorkers: Int, threadNamePrefix: String,
            initializer: (@Sendable () throws -> Void)?, observer: (@Sendable (TaskEvent) -> Void)?,
            detectsDeadlocks: Bool
        ) {
            self.maxWorkers = maxWorkers
            self.threadNamePrefix = threadNamePrefix
            self.initializer = initializer
            self.observer = observer
            identity = PoolIdentity(name: threadNamePrefix)
            deadlockDetector = detectsDeadlocks ? DeadlockDetector(pool: identity) : nil
        }

        // MARK: Submitting

        /// Python: `submit`.
        func submit<T: Sendable>(label: String?, _ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
            let submittedAt = observer == nil ? nil : ContinuousClock.now
            // The future and its work item are made before any lock is taken: allocating them is
            // the slowest step of submit, and other submitting threads wait for the queue's
            // append lock. Task numbers come from an atomic counter, as no lock is held here.
            // (A refused submission leaves a gap in the numbers; a pool that refuses once, for
            // being shut down or broken, accepts nothing after that anyway.)
            let taskID = taskNumbers.add(1, ordering: .relaxed).oldValue
            let future = Future<T>(origin: TaskOrigin(pool: identity, taskID: taskID, label: label))
            let item = WorkItem(future: future, task: task)

            if hasAllWorkers.load(ordering: .relaxed) {
                guard workQueue.append(item) else { throw refusal() }
            } else {
                // The pool is still starting threads. Make sure some worker will take the task
                // before queueing it, so that a failure to start a thread can be reported without
                // losing the task; and queue it under the same lock, so that the next `submit`
                // counts it (else two submits at once could both count on the same idle worker).
                lock.lock()
                defer { lock.unlock() }
                try adjustThreadCount()
                guard workQueue.append(item) else { throw refusalLocked() }
            }
            parking.taskQueued(queueLength: workQueue.count)

            if let observer, let submittedAt {
                observer(TaskEvent(taskID: taskID, label: label, kind: .submitted, time: submittedAt))
            }
            return future
        }

        /// Why `submit` cannot queue a task: the pool is shut down, or broken.
        private func refusal() -> any Error {
            lock.withLock { refusalLocked() }
        }

        /// `refusal()` with the lock held.
        private func refusalLocked() -> any Error {
            if case .broken(let error) = lifecycle { return error }
            return ShutdownError()
        }

        /// Starts one more worker thread if the queue, with one more task, would be longer than
        /// the number of workers that will come for work on their own, and `maxWorkers` allows.
        /// Throws if the pool is shut down or broken, or if no worker at all could be started.
        /// Lock held. Python: `_adjust_thread_count`.
        ///
        /// Workers that "come on their own" are the live workers that are not busy: the idle ones
        /// and the ones whose task just finished. Python asks a similar question with its
        /// `_idle_semaphore` ("is some thread idle?"); counting the finishing ones too is what
        /// makes three `submit(...).result()` calls in a row reliably use a single thread here,
        /// where no global interpreter lock makes the finishing worker go first.
        private func adjustThreadCount() throws {
            guard case .accepting = lifecycle else { throw refusalLocked() }
            guard workers.count < maxWorkers else { return }
            // Counted while no worker takes a task, so that none is between the queue and busy.
            let (queueLength, available) = workQueue.whileNobodyTakes {
                (workQueue.count + 1, workers.values.reduce(0) { count, worker in count + (worker.isBusy ? 0 : 1) })
            }
            guard queueLength > available else { return }

            let index = startedThreads
            let worker = WorkerThread(name: "\(threadNamePrefix)_\(index)", index: index, pool: self)
            switch worker.start() {
            case .success(let thread):
                startedThreads += 1
                workers[index] = worker
                unjoinedThreads[index] = thread
                deadlockDetector?.workerStarted()
                if workers.count == maxWorkers { hasAllWorkers.store(true, ordering: .relaxed) }
            case .failure(let error):
                // Keep going with the threads we have; with none, the task cannot run.
                if workers.isEmpty { throw error }
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
                worker.currentFuture = item.future
                item.run(worker)
                worker.currentFuture = nil
                worker.isBusy = false
            }
            workerExiting(worker)
        }

        /// The next work item; waits while the queue is empty. Returns `nil` when the worker
        /// should exit: the pool is shut down (or broken) and the queue is empty.
        /// Python: `work_queue.get_nowait()`, then `work_queue.get(block=True)`.
        private func takeWork(for worker: WorkerThread) -> WorkItem? {
            let hasWork = { !self.workQueue.isEmpty || self.workQueue.isClosed }
            var mayWatch = true
            while true {
                switch workQueue.take(by: worker) {
                case .item(let item): return item
                case .closed: return nil  // shut down (or broken), and nothing left to do
                case .empty: break
                }
                if mayWatch && parking.startWatching() {
                    let sawWork = WorkerParking.watch(until: hasWork)
                    parking.stopWatching()
                    mayWatch = sawWork  // watched long enough without seeing work: next, sleep
                    continue
                }
                parking.sleep(unless: hasWork)
                mayWatch = true
            }
        }

        private func workerExiting(_ worker: WorkerThread) {
            lock.lock()
            workers[worker.index] = nil
            // Its counts now belong to the pool.
            completedTasks.add(worker.completedTasks.load(ordering: .relaxed), ordering: .relaxed)
            failedTasks.add(worker.failedTasks.load(ordering: .relaxed), ordering: .relaxed)
            cancelledTasks.add(worker.cancelledTasks.load(ordering: .relaxed), ordering: .relaxed)
            if let thread = unjoinedThreads.removeValue(forKey: worker.index) {
                thread.detach()  // nobody will join this thread: free it when it ends
            }
            deadlockDetector?.workerExited()
            lock.unlock()
            lock.broadcast()  // wakes `shutdown(wait: true)`, which waits for the workers to exit
        }

        /// An initializer threw: the pool is broken. Python: `_initializer_failed`.
        private func initializerFailed(_ error: any Error) {
            let broken = BrokenThreadPool(
                "A thread initializer failed, the thread pool is not usable anymore", underlyingError: error)
            FutureDiagnostics.report(.initializerError, error: error, subject: "thread pool \(threadNamePrefix)")
            lock.withLock {
                if case .broken = lifecycle {} else { lifecycle = .broken(broken) }
            }
            workQueue.close()
            let queued = workQueue.removeAll()
            parking.wakeAll()  // idle workers find the queue closed and exit
            for item in queued {
                failedTasks.add(1, ordering: .relaxed)
                report(item.future, .finished(.threw(broken.description)))
                item.future.fail(with: broken)
            }
        }

        // MARK: Shutting down

        /// Python: `shutdown`.
        func shutdown(wait: Bool, cancelFutures: Bool) {
            // A task of this pool cannot wait for the pool to end (see the public method).
            let mayWait = wait && WorkerThread.current?.pool !== self
            lock.lock()
            if case .accepting = lifecycle { lifecycle = .shutDown }
            var toJoin: [ThreadHandle] = []
            if mayWait {
                toJoin = Array(unjoinedThreads.values)
                unjoinedThreads.removeAll()
            }
            lock.unlock()
            workQueue.close()  // after `lifecycle`: a refused `submit` finds out why
            let toCancel = cancelFutures ? workQueue.removeAll() : []
            parking.wakeAll()  // idle workers wake up, find the queue closed and drained, and exit

            for item in toCancel where item.future.cancel() {
                cancelledTasks.add(1, ordering: .relaxed)
                report(item.future, .finished(.cancelled))
            }
            guard mayWait else { return }
            for thread in toJoin { thread.join() }
            // Threads joined by someone else (a concurrent shutdown) or already detached:
            // wait until they are gone too.
            lock.lock()
            while !workers.isEmpty { lock.wait() }
            lock.unlock()
        }

        // MARK: Observers, statistics, deadlock reports

        /// Tells the observer, if there is one, that `kind` happened to `future`'s task.
        func report(_ future: some UntypedFuture, _ kind: TaskEvent.Kind) {
            guard let observer, let origin = future.origin else { return }
            observer(TaskEvent(taskID: origin.taskID, label: origin.label, kind: kind, time: .now))
        }

        /// Tasks in the queue right now (for deadlock reports).
        var queuedTaskCount: Int { workQueue.count }

        var statistics: ExecutorStatistics {
            lock.withLock {
                func sum(_ count: (WorkerThread) -> Int) -> Int {
                    workers.values.reduce(0) { total, worker in total + count(worker) }
                }
                return ExecutorStatistics(
                    submitted: workQueue.totalAppended,
                    queued: workQueue.count,
                    running: sum { $0.isBusy ? 1 : 0 },
                    completed: completedTasks.load(ordering: .relaxed) + sum { $0.completedTasks.load(ordering: .relaxed) },
                    failed: failedTasks.load(ordering: .relaxed) + sum { $0.failedTasks.load(ordering: .relaxed) },
                    cancelled: cancelledTasks.load(ordering: .relaxed) + sum { $0.cancelledTasks.load(ordering: .relaxed) },
                    liveWorkers: workers.count,
                    idleWorkers: parking.idle
                )
            }
        }
    }
}
