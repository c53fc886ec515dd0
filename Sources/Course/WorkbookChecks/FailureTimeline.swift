import LessonSupport
import WorkbookCourse

/// The compact timeline under a failure of a concurrency property: what the code did in the
/// call that failed, in at most 12 lines, the last one saying what the picture shows.
///
/// ```
///   what your code did — 2.00 s
///   caller    │[fetchBoth·····································]
///   c02a-1_0  │[/news=====================================]
///   c02a-1_1  │                                             |
///             └─────────┬─────────┬─────────┬─────────┬────
///              0        500       1000      1500      2000 ms
///   [/news===] /news, start to end   · asleep, waiting (for a result, a lock)
///   1 column ≈ 44.4 ms
///   The 2 tasks never overlapped: each started only after the one before had ended.
/// ```
public enum FailureTimeline {
    /// The properties whose failures a timeline shows: who ran when, and who waited.
    public static let properties: Set<CheckProperty> = [.concurrency, .promptness, .cancellation, .limit]

    /// At most this many lines, the explanation included.
    public static let maximumLines = 12

    /// The section's title.
    static let title = "what your code did"

    /// The timeline of the last call in `recording`, with a line that says what it shows;
    /// `nil` when `property` is not about concurrency, or no task of the call was seen.
    public static func lines(for property: CheckProperty, recording: ScenarioRecording, width: Int, color: Bool) -> [String]? {
        guard properties.contains(property) else { return nil }
        let spans = recording.lastCallSpans
        let facts = TimelineFacts(spans)
        guard !facts.tasks.isEmpty || !facts.cancelled.isEmpty else { return nil }
        let (explanation, highlighted) = explain(property, facts)
        // One line, as a rule; wrapped rather than cut where the terminal is narrow.
        let below = TextStyle(colors: color, width: min(width, 80)).wrap(explanation, indent: "  ", firstIndent: "  ")
            .split(separator: "\n").map(String.init)
        let chart = fitted(spans, highlighted: highlighted, width: min(width, 80), color: color, lines: maximumLines - below.count)
        return chart + below
    }

    /// The chart in at most `lines` lines: the workers' rows beyond what fits are left out
    /// (the title says how many are shown), the rows of `highlighted` tasks kept.
    static func fitted(_ spans: [TimelineSpan], highlighted: [TimelineSpan], width: Int, color: Bool, lines maximum: Int) -> [String] {
        let special = [ScenarioRecording.callerRow, Timeline.cancelledRowName]
        let important = Set(highlighted.map(\.worker))
        let workers = Set(spans.map(\.worker)).subtracting(special)
            .sorted { (important.contains($0) ? 0 : 1, $0.count, $0) < (important.contains($1) ? 0 : 1, $1.count, $1) }
        var shown = workers.count
        while true {
            let kept = Set(workers.prefix(shown)).union(special)
            let heading = shown < workers.count ? title + " (\(shown) of \(workers.count) workers shown)" : title
            let section = TimelineSection(heading, spans: spans.filter { kept.contains($0.worker) }, firstRow: ScenarioRecording.callerRow)
            let lines = Timeline.render(sections: [section], width: width, color: color)
            if lines.count <= maximum || shown <= 1 { return Array(lines.prefix(maximum)) }
            shown -= 1
        }
    }

    /// One line about the property, from what the chart shows, and the tasks it names.
    static func explain(_ property: CheckProperty, _ facts: TimelineFacts) -> (String, [TimelineSpan]) {
        let tasks = facts.tasks
        let function = facts.call?.label ?? "your code"
        switch property {
        case .concurrency:
            if tasks.count == 1 { return ("One task did all the work: the other workers had nothing to run.", tasks) }
            if facts.peakOverlap <= 1 {
                return ("The \(tasks.count) tasks never overlapped: each started after the one before ended.", tasks)
            }
            return ("At most \(facts.peakOverlap) of the \(tasks.count) tasks ran at the same moment.", [])
        case .promptness:
            guard let call = facts.call else { break }
            let lastEnd = tasks.map(\.finished).max()
            if let lastEnd, call.finished >= lastEnd, let last = tasks.last(where: { $0.finished == lastEnd }) {
                return ("\(function) returned at \(facts.at(call.finished)), only after the last task (\(TimelineFacts.names([last]))) ended.", [last])
            }
            let asleep = call.waits.reduce(Duration.zero) { $0 + ($1.upperBound - $1.lowerBound) }
            return ("\(function) slept \(asleep.readable) of its \((call.finished - call.started).readable), waiting.", [])
        case .cancellation:
            guard let call = facts.call else { break }
            let startedLate = tasks.filter { $0.started > call.finished }
            if !startedLate.isEmpty {
                return ("\(TimelineFacts.names(startedLate)) started after \(function) returned: queued, never cancelled.", startedLate)
            }
            let ranOn = tasks.filter { $0.finished > call.finished }
            if !ranOn.isEmpty {
                return ("\(TimelineFacts.names(ranOn)) kept running after \(function) returned.", ranOn)
            }
            if facts.cancelled.isEmpty { return ("No task was cancelled: every task that was submitted ran.", []) }
        case .limit:
            return ("\(tasks.count) task\(tasks.count == 1 ? "" : "s"), at most \(facts.peakOverlap) running at the same moment.", [])
        default:
            break
        }
        return ("\(tasks.count) task\(tasks.count == 1 ? "" : "s") ran, \(facts.cancelled.count) cancelled, at most \(facts.peakOverlap) at once.", [])
    }
}

extension TextStyle {
    /// How the checks draw a failure's timeline unless told otherwise: plain, within 80
    /// columns once Feedback has indented it (by 2).
    public static let timeline = TextStyle(colors: false, width: 78)
}
