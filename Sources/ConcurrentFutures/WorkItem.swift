/// One submitted call waiting in a thread pool's queue: the future and the task that will
/// produce its value. Python: `_WorkItem` in `thread.py`.
///
///     // in submit:
///     let item = WorkItem(future: future, task: task)
///     workQueue.append(item)
///     // in a worker:
///     item.run(on: worker)
///
/// Why `run` is a closure, and not a method of a generic class as in Python: speed. The queue
/// holds tasks of every value type, so whatever a worker calls through it cannot name `Value`,
/// and generic code called that way runs *unspecialized*: it looks up, at run time, the type
/// information of every generic type it touches (`Result<Value, any Error>`,
/// `FutureState<Value>`, ...), measured at a fifth of the cost of a trivial task. The closure is
/// written inside the generic `init`, which the compiler specializes for the caller's `Value`
/// (the library is built with cross-module optimization, see Package.swift), so the worker
/// runs code made for `Int` or `String`.
struct WorkItem: Sendable {
    /// The future, seen as what the pool needs when it does *not* run the task: to cancel it
    /// (`shutdown(cancelFutures: true)`), to fail it (a broken pool), to name it.
    let future: any UntypedFuture & AnyObject
    /// Python: `_WorkItem.run`. Runs the task on the calling worker and completes the future;
    /// skips it if the future was cancelled.
    let run: @Sendable (_ worker: WorkerThread) -> Void

    init<Value>(future: Future<Value>, task: @escaping @Sendable () throws -> Value) {
        self.future = future
        run = { worker in
            // Python: if not self.future.set_running_or_notify_cancel(): return
            guard (try? future.setRunningOrNotifyCancel()) == true else {
                worker.taskSkipped(future)
                return
            }
            worker.taskStarted(future)
            // Python: result = self.task() ... set_result(result) / set_exception(exc)
            let result = Result { try task() }
            worker.taskFinished(future, result.map { _ in () })
            do {
                let announcement = try future.finishQuietly(with: result) { announcement in
                    // The worker is free again once nobody of ours is left to run: at once when
                    // the future has no done-callbacks, else when they have returned (a callback
                    // may submit to this pool and wait, so it must not hide the worker). Marked
                    // inside the future's lock, before anyone sees the future done: three
                    // `submit(...).result()` in a row then reliably use one thread.
                    if !announcement.hasCallbacks { worker.isBusy = false }
                }
                future.announce(announcement, Completion(result))
            } catch {
                // Someone called setResult/setException on this future while the task ran.
                FutureDiagnostics.report(.discardedResult, error: error, subject: future.description)
            }
        }
    }
}
