import SystemPlatform
import Synchronization

/// A pool's worker: one operating-system thread, its name, the pool it works for, and what it
/// counts. Python's counterpart is `threading.Thread(name=..., target=_worker, ...)`.
final class WorkerThread: @unchecked Sendable {
    /// The full name, `"<prefix>_<index>"`, e.g. "ThreadPoolExecutor-0_1". Python: `Thread.name`.
    let name: String
    /// 0 for the pool's first thread, 1 for its second, ...
    let index: Int
    /// The pool this thread works for. A strong reference: the pool's shared state lives as
    /// long as one of its threads does, even after the `ThreadPoolExecutor` is gone.
    let pool: ThreadPoolExecutor.Core
    /// The future of the task this thread is running, for deadlock reports. Only ever read and
    /// written by the worker's own thread (hence `@unchecked Sendable` above). The future, not
    /// its `TaskOrigin`: copying an origin retains the pool's `PoolIdentity`, one object whose
    /// reference count every worker would then change twice per task, making the cores pass its
    /// memory back and forth (`perf`, 2 submitters and 2 workers: 4 % of all cycles in releasing
    /// origins).
    var currentFuture: (any UntypedFuture & AnyObject)?

    // The worker's own counters. Only this worker's thread changes them, so no two threads
    // write the same memory for every task (which would make the processor cores pass it back
    // and forth); the pool adds them up for `statistics`.
    private let busy = Atomic<Bool>(false)
    let completedTasks = Atomic<Int>(0)
    let failedTasks = Atomic<Int>(0)
    let cancelledTasks = Atomic<Int>(0)

    init(name: String, index: Int, pool: ThreadPoolExecutor.Core) {
        self.name = name
        self.index = index
        self.pool = pool
    }

    /// Whether the worker has a task of ours to finish: from taking it until its future is
    /// finished and its done-callbacks have returned. `submit` counts the workers that are not
    /// busy as coming back for more work.
    var isBusy: Bool {
        get { busy.load(ordering: .relaxed) }
        set { busy.store(newValue, ordering: .relaxed) }
    }

    /// The worker running on the calling thread, or `nil` on a thread that is no pool's worker.
    static var current: WorkerThread? {
        guard let pointer = pthread_getspecific(currentWorkerKey) else { return nil }
        return Unmanaged<WorkerThread>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Starts the operating-system thread, named after the worker (see `systemName`), running
    /// the pool's worker loop.
    func start() -> Result<ThreadHandle, ThreadStartError> {
        startThread(named: systemName) { [self] in
            pthread_setspecific(currentWorkerKey, Unmanaged.passUnretained(self).toOpaque())
            pool.runWorker(self)
            pthread_setspecific(currentWorkerKey, nil)
        }
    }

    /// The name the operating system shows (in `top -H`, debuggers). Linux keeps 15 bytes, so
    /// a long prefix is shortened and the `_<index>` suffix kept. (The same length is used on
    /// macOS, which keeps 63, so that names look the same everywhere.)
    private var systemName: String {
        let suffix = "_\(index)"
        let full = name
        if full.utf8.count <= 15 { return full }
        var prefix = ""
        for character in full.dropLast(suffix.count) {
            if prefix.utf8.count + character.utf8.count + suffix.utf8.count > 15 { break }
            prefix.append(character)
        }
        return prefix + suffix
    }

    // MARK: What the work items tell the worker (on the worker's own thread)

    /// A task starts: observers hear of it.
    func taskStarted(_ future: some UntypedFuture) {
        // Checked here, not only in `report`: without an observer, not even the event (and a
        // copy of the worker's name) is made. This runs for every task.
        if pool.observer != nil { pool.report(future, .started(worker: name)) }
    }

    /// A task has returned or thrown; its future is about to complete. Counted, and observers
    /// hear of it, *before* the future completes, so whoever wakes up from `result()` sees the
    /// statistics and the events up to date.
    func taskFinished(_ future: some UntypedFuture, _ result: Result<Void, any Error>) {
        switch result {
        case .success:
            completedTasks.add(1, ordering: .relaxed)
            pool.report(future, .finished(.returned))
        case .failure(let error):
            failedTasks.add(1, ordering: .relaxed)
            pool.report(future, .finished(.threw(String(describing: error))))
        }
    }

    /// The worker took a cancelled task from the queue and skipped it.
    func taskSkipped(_ future: some UntypedFuture) {
        cancelledTasks.add(1, ordering: .relaxed)
        pool.report(future, .finished(.cancelled))
        isBusy = false
    }
}

/// Thread-local slot holding the current thread's `WorkerThread` (unretained: the thread's
/// body keeps it alive).
private let currentWorkerKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
    return key
}()
