import SystemPlatform
import Synchronization

/// A pool's worker: one operating-system thread, its name and the pool it works for.
///
/// This file is the plumbing between Swift and POSIX threads (`pthread_create`), kept apart so
/// that `ThreadPoolExecutor.swift` reads as the pool's logic only. Python's counterpart is
/// `threading.Thread(name=..., target=_worker, ...)`.
final class WorkerThread: @unchecked Sendable {
    /// The full name, `"<prefix>_<index>"`, e.g. "ThreadPoolExecutor-0_1". Python: `Thread.name`.
    let name: String
    /// 0 for the pool's first thread, 1 for its second, ...
    let index: Int
    /// The pool this thread works for. A strong reference: the pool's shared state lives as
    /// long as one of its threads does, even after the `ThreadPoolExecutor` is gone.
    let pool: ThreadPoolExecutor.Core
    /// The future of the task this thread is running, for deadlock reports. Only ever read and written by
    /// the worker's own thread (hence `@unchecked Sendable` above).
    var currentTask: (any PoolFuture)?

    // The worker's own counters. Only this worker's thread changes them, so no two threads
    // write the same memory for every task (which would make the processor cores pass it back
    // and forth); the pool adds them up for `statistics`.
    /// Whether the worker is running a task right now.
    let isBusy = Atomic<Bool>(false)
    let completedTasks = Atomic<Int>(0)
    let failedTasks = Atomic<Int>(0)
    let cancelledTasks = Atomic<Int>(0)

    init(name: String, index: Int, pool: ThreadPoolExecutor.Core) {
        self.name = name
        self.index = index
        self.pool = pool
    }

    /// The worker running on the calling thread, or `nil` on a thread that is no pool's worker.
    static var current: WorkerThread? {
        guard let pointer = pthread_getspecific(currentWorkerKey) else { return nil }
        return Unmanaged<WorkerThread>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Starts the operating-system thread, named after the worker (see `setCurrentThreadName`
    /// for how long names are shortened).
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
    fileprivate var systemName: String {
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
}

/// Thread-local slot holding the current thread's `WorkerThread` (unretained: the thread's
/// entry function keeps it alive).
private let currentWorkerKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
    return key
}()
