import ConcurrentFutures  // LockedValue
import SystemPlatform  // pthread_self

/// Notes when work that is not a pool task ran, for a timeline: the main thread's own
/// downloads, the time it sat in `result()`, the children of a task group. A pool's tasks are
/// recorded by its observer (`TaskEventRecorder`); this is the same for everything else.
///
///     let mainRow = SpanRecorder()
///     for url in urls {
///         pages.append(try mainRow.record { try fetch(url) })    // drawn on the "main" row
///     }
///     Timeline.print([TimelineSection("one by one", spans: mainRow.spans)])
///
/// With `queued: true` every span counts as handed over when the recorder was made, so a
/// timeline's queue row shows how long the later items waited for the earlier ones (a loop that
/// does the items one by one); otherwise each span starts when it was handed over.
public final class SpanRecorder: Sendable {
    /// The row spans go on unless `record` names another.
    public let row: String
    /// When the work was handed over, if all of it was at once: the recorder's creation.
    public let submitted: ContinuousClock.Instant?
    private let state = LockedValue<(spans: [TimelineSpan], threads: [UInt: Int])>(([], [:]))

    public init(row: String = "main", queued: Bool = false) {
        self.row = row
        submitted = queued ? .now : nil
    }

    /// Runs `body` on the calling thread and records the span it took. `label` is drawn inside
    /// the bar (by default the number of spans recorded before: "0", "1", ...); `row` is the
    /// row's name (by default the recorder's).
    public func record<T>(_ label: String? = nil, row: String? = nil, _ body: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        defer {
            let finished = ContinuousClock.now
            state.withLock { state in
                let span = TimelineSpan(
                    worker: row ?? self.row, label: label ?? "\(state.spans.count)", submitted: submitted ?? started,
                    started: started, finished: finished)
                state.spans.append(span)
            }
        }
        return try body()
    }

    /// `record` with the row named after the calling thread: "thread 1", "thread 2", ... in the
    /// order threads first show up. For work on threads that are not a pool's (a task group's).
    public func recordOnThisThread<T>(_ label: String? = nil, _ body: () throws -> T) rethrows -> T {
        let thread = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let number = state.withLock { state in
            let number = state.threads[thread] ?? (state.threads.count + 1)
            state.threads[thread] = number
            return number
        }
        return try record(label, row: "thread \(number)", body)
    }

    /// Adds a span measured elsewhere (`start` to `end` on this recorder's row).
    public func add(_ label: String, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        state.withLock { $0.spans.append(TimelineSpan(worker: row, label: label, submitted: start, started: start, finished: end)) }
    }

    /// Everything recorded so far, in the order it ended.
    public var spans: [TimelineSpan] { state.withLock { $0.spans } }
}
