import ConcurrentFutures
import LessonSupport

/// What one scenario saw happen, for its timeline (`workbook check ID --timeline`, and the
/// compact timeline under a failed concurrency property):
///
/// - each call of the code under test by the scenario's thread (`ctx.step`), with the stretches
///   in which that thread was asleep inside it (`SleepSampler`);
/// - every task of the pools the check handed over (`ctx.pool`), from the pools' observers:
///   when it was submitted, started (on which worker) and ended, failed or cancelled;
/// - instrumented work on threads the check did not make (`ctx.recordWork`): the jobs of a pool
///   that the exercise makes itself, or the child tasks of a task group.
///
/// The drawing is LessonSupport's `Timeline`, the lessons' own: `spans` are its `TimelineSpan`s.
public struct ScenarioRecording: Sendable {
    /// One call of the code under test by the scenario's thread.
    public struct Call: Sendable {
        /// The function called ("firstGoodAnswer"), from the step's description.
        public var label: String
        public var started: ContinuousClock.Instant
        public var finished: ContinuousClock.Instant
        /// When the calling thread was asleep in the call (waiting for a future, a lock).
        public var waits: [Range<ContinuousClock.Instant>]
    }

    /// One piece of instrumented work.
    public struct Work: Sendable {
        /// Its thread's row: a pool worker's name or "thread 2"; `nil` for async work, which has
        /// no thread of its own and is drawn on lanes ("lane 1": one piece of work at a time).
        public var row: String?
        public var label: String
        public var started: ContinuousClock.Instant
        public var finished: ContinuousClock.Instant
        public var failed: Bool
        /// Only a name for the pool task it ran in (`ctx.labelTask`), never drawn itself.
        public var isLabel = false
    }

    public var calls: [Call] = []
    /// The events of each pool the check made, in the order the pools were made.
    public var poolEvents: [[TaskEvent]] = []
    public var work: [Work] = []

    /// The row of the thread that called the code under test.
    public static let callerRow = "caller"

    /// Every call, and the tasks that go with them.
    public var spans: [TimelineSpan] { spans(around: calls) }

    /// The last call and the tasks that go with it: what the code did in the call that the
    /// scenario looked at last (a failure is found right after the call that caused it).
    public var lastCallSpans: [TimelineSpan] { spans(around: Array(calls.suffix(1))) }

    /// The calls on the caller's row, and the tasks that go with them; every task if the
    /// scenario made no call through `ctx.step`.
    func spans(around calls: [Call]) -> [TimelineSpan] {
        let callSpans = calls.map {
            TimelineSpan(worker: Self.callerRow, label: $0.label, submitted: $0.started, started: $0.started,
                         finished: $0.finished, waits: $0.waits)
        }
        let tasks = labelledTasks
        guard let first = calls.map(\.started).min(), let last = calls.map(\.finished).max() else { return tasks }
        return callSpans + tasks.filter { Self.task($0, belongsTo: first...last) }
    }

    /// The pools' tasks (cancelled ones too) and the instrumented work. A pool task inside
    /// which instrumented work ran, or that `ctx.labelTask` named, is labelled after it ("r2",
    /// or "l1…" when several pieces ran in it, as in a chunk of `map`); that work is not drawn
    /// again on its own.
    var labelledTasks: [TimelineSpan] {
        var tasks = poolEvents.flatMap { TimelineSpan.spans(from: $0, includingCancelled: true) }
        let (work, labels) = workSpans
        let pieces = work + labels
        let piecesByRow = Dictionary(grouping: pieces.indices, by: { pieces[$0].worker })
        var inTasks = Set<Int>()
        for index in tasks.indices where !tasks[index].cancelled {
            let task = tasks[index]
            let inside = (piecesByRow[task.worker] ?? []).filter {
                pieces[$0].started >= task.started && pieces[$0].finished <= task.finished
            }
            guard let first = inside.min(by: { pieces[$0].started < pieces[$1].started }) else { continue }
            tasks[index].label = pieces[first].label + (inside.count > 1 ? "…" : "")
            inTasks.formUnion(inside)
        }
        return tasks + work.indices.filter { !inTasks.contains($0) }.map { work[$0] }
    }

    /// A task goes with the calls made in `window` when it was handed over, ran, or was
    /// cancelled in it. Tasks the check submits itself after the last call returned (to see
    /// whether the pool still takes work) do not.
    static func task(_ task: TimelineSpan, belongsTo window: ClosedRange<ContinuousClock.Instant>) -> Bool {
        if window.contains(task.submitted) { return true }
        if task.cancelled { return window.contains(task.started) }
        return task.started < window.upperBound && window.lowerBound < task.finished
    }

    /// The instrumented work as spans (async work on the first lane free when it started), and
    /// the labels for pool tasks as spans of no length.
    var workSpans: (work: [TimelineSpan], labels: [TimelineSpan]) {
        var laneFreeAt: [ContinuousClock.Instant] = []
        var spans: [TimelineSpan] = []
        var labels: [TimelineSpan] = []
        for item in work.sorted(by: { $0.started < $1.started }) {
            var row = item.row
            if row == nil {
                let lane = laneFreeAt.firstIndex { $0 <= item.started } ?? laneFreeAt.count
                if lane == laneFreeAt.count { laneFreeAt.append(item.finished) } else { laneFreeAt[lane] = item.finished }
                row = "lane \(lane + 1)"
            }
            let span = TimelineSpan(worker: row ?? "", label: item.label, submitted: item.started, started: item.started,
                                    finished: item.finished, failed: item.failed)
            if item.isLabel { labels.append(span) } else { spans.append(span) }
        }
        return (spans, labels)
    }

    /// "firstGoodAnswer" for "calling firstGoodAnswer(from: [r0, r1]) where ...", "close" for
    /// "calling close() a second time", "submitting" for "submitting 6 jobs".
    static func callLabel(_ description: String) -> String {
        for verb in ["calling ", "awaiting "] {
            if let range = description.range(of: verb) {
                let name = description[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                if !name.isEmpty { return String(name) }
            }
        }
        return String(description.prefix { $0 != " " })
    }
}

/// What a timeline's spans say, in numbers: for the line under a compact timeline.
struct TimelineFacts {
    /// The last call of the code under test, if the scenario made one.
    let call: TimelineSpan?
    /// The tasks that ran (not the calls, not the cancelled ones).
    let tasks: [TimelineSpan]
    let cancelled: [TimelineSpan]

    init(_ spans: [TimelineSpan]) {
        call = spans.last { $0.worker == ScenarioRecording.callerRow }
        tasks = spans.filter { $0.worker != ScenarioRecording.callerRow && !$0.cancelled }
        cancelled = spans.filter(\.cancelled)
    }

    /// The most tasks running at the same moment.
    var peakOverlap: Int {
        // Ends before starts at the same instant: a task that ends as the next one starts did
        // not overlap with it.
        let edges = tasks.flatMap { [($0.started, 1), ($0.finished, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var running = 0
        var peak = 0
        for (_, change) in edges {
            running += change
            peak = max(peak, running)
        }
        return peak
    }

    /// The time from the first thing on the chart to `instant`: "2.00 s".
    func at(_ instant: ContinuousClock.Instant) -> String {
        let origin = (tasks + cancelled + (call.map { [$0] } ?? [])).map(\.submitted).min() ?? instant
        return (instant - origin).readable
    }

    /// "r4", "r1 and r3", "task 3, task 4 and 2 more": the tasks as the chart labels them.
    static func names(_ spans: [TimelineSpan]) -> String {
        let names = spans.map { $0.label.allSatisfy(\.isNumber) ? "task \($0.label)" : $0.label }
        switch names.count {
        case 0: return "no task"
        case 1: return names[0]
        case 2, 3: return names.dropLast().joined(separator: ", ") + " and " + names.last!
        default: return names.prefix(2).joined(separator: ", ") + " and \(names.count - 2) more"
        }
    }
}
