/// Watches a thread pool for the classic deadlock of lesson 12: every worker waits for a task
/// of the same pool, so none of those tasks can ever run or finish.
///
///     let pool = try ThreadPoolExecutor(maxWorkers: 1)
///     let outer = try pool.submit {
///         let inner = try pool.submit { 5 * 5 }
///         return try inner.result()   // the only worker waits for a task queued behind it:
///     }                               // DeadlockError after about half a second
///
/// Python has no such check: its pool just hangs. A worker reports itself blocked from
/// `sleep(on:until:awaiting:)` (in FutureWaiter.swift) when it waits, without a timeout, only for
/// tasks of its own pool; when every live worker has been blocked like that for
/// `gracePeriod`, their waits throw `DeadlockError`, which names who waits for what.
///
/// It has a lock of its own, taken only by workers that block or unblock, or start or exit:
/// nothing on the path of an ordinary task.
final class DeadlockDetector: Sendable {
    /// How long every worker must have been blocked on its own pool before their waits
    /// throw `DeadlockError`, and how often a blocked worker looks.
    static let gracePeriod = Duration.milliseconds(500)
    static let checkInterval = Duration.milliseconds(100)

    /// The pool watched, by identity (the futures of its tasks carry it in their origin).
    let pool: PoolIdentity
    private let state = LockedValue(State())

    private struct State {
        var liveWorkers = 0
        /// Workers blocked in a wait for tasks of this pool only: by worker index, the task the
        /// worker runs and the tasks it waits for.
        var blockedWorkers: [Int: (running: TaskOrigin?, awaiting: [TaskOrigin])] = [:]
        /// Since when every live worker has been blocked like that, if it is so now.
        var everyWorkerBlockedSince: Deadline?

        mutating func update() {
            if liveWorkers > 0 && blockedWorkers.count >= liveWorkers {
                if everyWorkerBlockedSince == nil { everyWorkerBlockedSince = .now }
            } else {
                everyWorkerBlockedSince = nil
            }
        }
    }

    init(pool: PoolIdentity) {
        self.pool = pool
    }

    /// The pool started a worker.
    func workerStarted() {
        state.withLock { $0.liveWorkers += 1; $0.update() }
    }

    /// A worker of the pool has exited.
    func workerExited() {
        state.withLock { $0.liveWorkers -= 1; $0.update() }
    }

    /// Worker `index`, running `running`, is about to sleep, with no timeout, until one of
    /// `awaiting` (all tasks of this pool) finishes.
    func workerWillBlock(_ index: Int, running: TaskOrigin?, awaiting: [TaskOrigin]) {
        state.withLock { state in
            state.blockedWorkers[index] = (running, awaiting)
            state.update()
        }
    }

    func workerDidUnblock(_ index: Int) {
        state.withLock { state in
            state.blockedWorkers[index] = nil
            state.update()
        }
    }

    /// The deadlock, if every worker has been blocked on this pool for the grace period;
    /// `nil` otherwise. `queuedTasks` is only for the message.
    func deadlock(queuedTasks: @autoclosure () -> Int) -> DeadlockError? {
        let snapshot: (workers: Int, waits: [String])? = state.withLock { state in
            guard let since = state.everyWorkerBlockedSince,
                  since.advanced(by: DeadlockDetector.gracePeriod).hasPassed
            else { return nil }
            let waits = state.blockedWorkers.keys.sorted().map { index -> String in
                let (running, awaiting) = state.blockedWorkers[index]!
                let runs = running.map { "runs \($0.taskID.taskName(label: $0.label))" } ?? "runs a task"
                let shown = awaiting.prefix(3).map { $0.taskID.taskName(label: $0.label) }
                let more = awaiting.count > 3 ? " and \(awaiting.count - 3) more" : ""
                return "\(pool.name)_\(index) \(runs) and waits for \(shown.joined(separator: ", "))\(more)"
            }
            return (state.liveWorkers, waits)
        }
        guard let snapshot else { return nil }
        let queued = queuedTasks()
        let workers = snapshot.workers == 1
            ? "the only worker of the pool \"\(pool.name)\" is"
            : "all \(snapshot.workers) workers of the pool \"\(pool.name)\" are"
        return DeadlockError(
            "a task is waiting for another task of the same pool, and \(workers) busy waiting, "
                + "so nothing can ever finish (\(snapshot.waits.joined(separator: "; ")); \(queued) "
                + "task\(queued == 1 ? "" : "s") queued). Give the pool more workers, or do not "
                + "wait inside a task for tasks of the same pool."
        )
    }
}
