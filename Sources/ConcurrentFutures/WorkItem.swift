/// One submitted call waiting in a thread pool's queue: the function to run and the future to
/// complete with its outcome. Python: `_WorkItem` in `thread.py`.
///
/// The queue holds work items of every value type, so it stores them as `any QueuedWork`.
protocol QueuedWork: AnyObject, Sendable {
    var taskID: Int { get }
    var label: String? { get }
    /// The pool and task, as stamped on the future.
    var origin: TaskOrigin? { get }
    /// Runs the call on the current (worker) thread, unless its future was cancelled.
    func run(in pool: ThreadPoolExecutor.Core, worker: String)
    /// Cancels the future (used by `shutdown(cancelFutures: true)`). `true` if it is cancelled.
    func cancel() -> Bool
    /// Fails the future without running the call (used when the pool breaks).
    func fail(with error: any Error)
}

final class WorkItem<Value: Sendable>: QueuedWork {
    let taskID: Int
    let label: String?
    let future: Future<Value>
    private let function: @Sendable () throws -> Value

    init(taskID: Int, label: String?, future: Future<Value>, function: @escaping @Sendable () throws -> Value) {
        self.taskID = taskID
        self.label = label
        self.future = future
        self.function = function
    }

    func run(in pool: ThreadPoolExecutor.Core, worker: String) {
        // Pending → running; a cancelled future is skipped. (Python: set_running_or_notify_cancel.)
        // It throws only if someone already finished the future by hand with setResult:
        // then there is nothing left to do either.
        guard (try? future.setRunningOrNotifyCancel()) == true else {
            pool.taskSkipped(self)
            return
        }
        pool.taskStarted(self, worker: worker)
        let result = Result { try function() }
        // Statistics and observers hear about it *before* the future completes, so whoever
        // wakes up from result() sees them up to date.
        pool.taskWillComplete(self, result: result)
        do {
            try future.finish(with: result)
        } catch {
            // Someone called setResult/setException on this future while the task ran.
            FutureDiagnostics.report(.discardedResult, error: error, subject: future.description)
        }
    }

    var origin: TaskOrigin? { future.origin }

    func cancel() -> Bool { future.cancel() }

    func fail(with error: any Error) { try? future.setException(error) }
}
