/// One submitted call waiting in a thread pool's queue. Python: `_WorkItem` in `thread.py`.
///
/// A pool's future holds its task (the closure given to `submit`) until a worker starts it,
/// so a work item only needs two things: the future, to cancel or fail it without running it,
/// and `run`, which a worker calls to run the task and complete the future.
///
///     // in submit:
///     let future = Future(origin: origin, task: task)
///     queue.append(WorkItem(future: future))
///     // in a worker:
///     item.run(pool, worker)
///
/// Why a closure, and not a generic class with a `run` method as in Python? Speed. The queue
/// holds tasks of every value type, so whatever a worker calls through it cannot name `Value`.
/// Generic code called that way runs *unspecialized*: it looks up, at run time, the type
/// information of every generic type it touches (`Result<Value, any Error>`, `FutureState<Value>`,
/// ...), a dozen hash-table lookups per task, measured at a fifth of the cost of a trivial task.
/// The closure below is written inside the generic `init`, which the compiler specializes for
/// the caller's `Value` (the library is built with cross-module optimization, see
/// Package.swift), so the worker runs code made for `Int` or `String`. It captures only the
/// future, a single object, which Swift uses as the closure's context without allocating.
struct WorkItem: Sendable {
    /// The future, seen as what the pool needs when it does *not* run the task.
    let future: any PoolFuture
    /// Runs the task on the calling (worker) thread and completes the future; skips it if the
    /// future was cancelled.
    let run: @Sendable (_ pool: ThreadPoolExecutor.Core, _ worker: WorkerThread) -> Void

    init<Value>(future: Future<Value>) {
        self.future = future
        run = { pool, worker in future.runTask(in: pool, worker: worker) }
    }
}

/// What a pool needs of a future whose task it will not run: cancel it (at shutdown), fail it
/// (when the pool breaks), and name it (in events and deadlock reports).
protocol PoolFuture: AnyObject, Sendable {
    var origin: TaskOrigin? { get }
    /// Cancels the future; `true` if it is cancelled now. Python: `cancel()`.
    func cancel() -> Bool
    /// Fails the future without running its task.
    func fail(with error: any Error)
}

extension Future: PoolFuture {
    func fail(with error: any Error) { try? setException(error) }

    /// What a worker does with a future from the queue. Python: `_WorkItem.run`.
    func runTask(in pool: ThreadPoolExecutor.Core, worker: WorkerThread) {
        // Pending → running, taking the task; a cancelled future has no task left to run.
        // (Python: set_running_or_notify_cancel.)
        guard let task = takeTaskToRun() else {
            pool.taskSkipped(self, worker: worker)
            return
        }
        pool.taskStarted(self, worker: worker)
        let result = Result { try task() }
        // Statistics and observers hear about it *before* the future completes, so whoever
        // wakes up from result() sees them up to date.
        pool.taskWillComplete(self, worker: worker, result: result)
        do {
            try finish(with: result)
        } catch {
            // Someone called setResult/setException on this future while the task ran.
            FutureDiagnostics.report(.discardedResult, error: error, subject: description)
        }
    }
}
