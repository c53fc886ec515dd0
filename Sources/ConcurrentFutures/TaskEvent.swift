/// Something that happened to one task of an executor, reported to the executor's observer.
/// Lessons draw worker timelines from these; monitoring tools count them.
///
/// The events of one task are, by their `time`: `.submitted`, `.started(worker:)`,
/// `.finished(...)`. A task cancelled before it started has `.submitted` and
/// `.finished(.cancelled)` only. The observer is called on the thread where each event
/// happens, so *deliveries* can overlap: a worker may report `.started` while the submitting
/// thread is still reporting `.submitted` (whose time was taken before the task was queued).
/// Sort by `time`, as `TaskEventRecorder.events` does. The `.finished` event is delivered
/// *before* the task's future completes, so once `result()` returns, that task's events have
/// all been delivered.
///
/// Python has no such hook; see lesson 13 for the classic "monitored executor" written by hand.
///
///     let recorder = TaskEventRecorder()
///     let pool = try ThreadPoolExecutor(maxWorkers: 4, observer: recorder.record)
public struct TaskEvent: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case submitted
        case started(worker: String)
        case finished(TaskOutcome)
    }

    /// 0, 1, 2, ... in submission order, counted per executor.
    public let taskID: Int
    /// The label given to `submit(label:_:)`, if any.
    public let label: String?
    public let kind: Kind
    /// When it happened, on the monotonic clock.
    public let time: ContinuousClock.Instant

    public init(taskID: Int, label: String?, kind: Kind, time: ContinuousClock.Instant) {
        self.taskID = taskID
        self.label = label
        self.kind = kind
        self.time = time
    }

    public var description: String { "task \(taskID)\(label.map { " (\($0))" } ?? ""): \(kind)" }
}

/// How a task ended.
public enum TaskOutcome: Sendable, Equatable {
    /// The task returned a value.
    case returned
    /// The task threw; the error's description.
    case threw(String)
    /// The task was cancelled before it started.
    case cancelled
}

/// A thread-safe list of task events: pass `recorder.record` as an executor's observer.
///
///     let recorder = TaskEventRecorder()
///     try withThreadPool(maxWorkers: 2, observer: recorder.record) { pool in ... }
///     for event in recorder.events { print(event) }
public final class TaskEventRecorder: Sendable {
    private let recorded = LockedValue<[TaskEvent]>([])

    public init() {}

    /// Adds one event. Safe to call from any thread.
    @Sendable public func record(_ event: TaskEvent) {
        recorded.withLock { $0.append(event) }
    }

    /// Every event so far, sorted by time (events of one task stay in their order).
    public var events: [TaskEvent] {
        recorded.withLock { $0 }.enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
    }

    public func removeAll() { recorded.withLock { $0.removeAll() } }
}

/// A snapshot of what an executor is doing, cheap enough to read in a progress loop.
///
///     let stats = pool.statistics
///     print("\(stats.completed + stats.failed) of \(stats.submitted) done")
public struct ExecutorStatistics: Sendable, Equatable, CustomStringConvertible {
    /// Tasks accepted by `submit` (and `map`) so far.
    public var submitted: Int
    /// Tasks waiting in the queue (cancelled ones included until a worker skips them).
    public var queued: Int
    /// Tasks running right now.
    public var running: Int
    /// Tasks that returned a value.
    public var completed: Int
    /// Tasks that threw (or failed because the pool broke).
    public var failed: Int
    /// Tasks that were cancelled and never ran (counted when a worker skips them, or when
    /// `shutdown(cancelFutures: true)` or a broken pool removes them from the queue).
    public var cancelled: Int
    /// Worker threads alive right now.
    public var liveWorkers: Int
    /// Live workers with nothing to do.
    public var idleWorkers: Int

    public var description: String {
        "submitted \(submitted), queued \(queued), running \(running), completed \(completed), "
            + "failed \(failed), cancelled \(cancelled), workers \(liveWorkers) (\(idleWorkers) idle)"
    }
}
