import Foundation
import LessonSupport
import WorkbookCourse

/// The timeline of one scenario, as a check runner writes it for `workbook check ID --timeline`
/// (`check-05a --timeline FILE`): the learner's runner writes one, `check-solutions 05a` another,
/// and the tool draws both on one time scale (`render`).
///
/// Times are offsets from the first thing on the chart, so that a file made by one process can
/// be drawn by another.
public struct TimelineFile: Codable, Sendable, Equatable {
    /// One span of the chart (`TimelineSpan`), its times as offsets.
    public struct Span: Codable, Sendable, Equatable {
        public var row: String
        public var label: String
        public var submitted: Duration
        public var started: Duration
        public var finished: Duration
        public var failed: Bool
        public var cancelled: Bool
        /// The waits, as pairs of offsets: [from, to].
        public var waits: [[Duration]]
    }

    public var exercise: String
    /// The scenario drawn.
    public var scenario: String?
    /// How it ended: "passed", "failed", ...
    public var status: ScenarioStatus?
    /// How to read its rows, where that is not plain (the lanes of a task group).
    public var note: String?
    /// Why there is no timeline, if there is none.
    public var unavailable: String?
    public var spans: [Span]

    /// The timeline of `check`'s timeline scenario, from what it recorded.
    public init(check: PreparedCheck, recording: ScenarioRecording?, status: ScenarioStatus?) {
        exercise = check.exerciseID
        spans = []
        switch check.timeline {
        case .none(let reason):
            unavailable = reason
        case .scenario(let index, let note):
            scenario = check.scenarios.indices.contains(index) ? check.scenarios[index].name : nil
            self.note = note
            self.status = status
            let drawn = recording?.spans ?? []
            guard let origin = drawn.map(\.submitted).min() else { return }
            spans = drawn.map { span in
                Span(row: span.worker, label: span.label, submitted: span.submitted - origin, started: span.started - origin,
                     finished: span.finished - origin, failed: span.failed, cancelled: span.cancelled,
                     waits: span.waits.map { [$0.lowerBound - origin, $0.upperBound - origin] })
            }
        }
    }

    /// The spans again, on this process's clock.
    public var timelineSpans: [TimelineSpan] {
        let origin = ContinuousClock.now
        return spans.map { span in
            TimelineSpan(
                worker: span.row, label: span.label, submitted: origin + span.submitted, started: origin + span.started,
                finished: origin + span.finished, failed: span.failed, cancelled: span.cancelled,
                waits: span.waits.compactMap { $0.count == 2 && $0[0] <= $0[1] ? (origin + $0[0])..<(origin + $0[1]) : nil })
        }
    }

    /// The learner's timeline and, once the exercise passes, the solution's, on one time scale:
    /// what `workbook check ID --timeline` prints.
    public static func render(yours: TimelineFile, solution: TimelineFile?, style: TextStyle) -> [String] {
        let width = min(style.width, 80)
        let wrapping = TextStyle(colors: style.colors, width: width)
        if let reason = yours.unavailable {
            return wrapping.wrap("No timeline for \(yours.exercise): \(reason)", indent: "  ", firstIndent: "")
                .split(separator: "\n").map(String.init)
        }
        var lines = [wrapping.wrap(
            wrapping.bold("Timeline") + " of the check's scenario \u{201C}\(yours.scenario ?? "?")\u{201D}"
                + (yours.status.map { " (\($0 == .passed ? "passed" : "did not pass"))" } ?? "") + ":",
            indent: "  ", firstIndent: "")]
        var sections = [TimelineSection("your code", spans: yours.timelineSpans, firstRow: ScenarioRecording.callerRow)]
        if let solution, solution.unavailable == nil {
            sections.append(TimelineSection("the solution", spans: solution.timelineSpans, firstRow: ScenarioRecording.callerRow))
        }
        lines += Timeline.render(sections: sections, width: width, color: style.colors)
        // On the scale of a run of seconds, a run of microseconds is one column: its shape is
        // drawn again, alone, on its own scale.
        let extents = sections.map(Self.extent)
        for (section, extent) in zip(sections, extents) where sections.count > 1 && extent * 8 < (extents.max() ?? .zero) {
            var zoomed = section
            zoomed.title += ", zoomed in (on a scale of its own)"
            lines += Timeline.render(sections: [zoomed], width: width, color: style.colors)
        }
        if let note = yours.note { lines.append(wrapping.wrap(note, indent: "  ", firstIndent: "  ")) }
        lines.append(wrapping.wrap(
            "caller is the thread that called your code; the other rows are the threads (or processes) that ran"
                + " the tasks"
                + (sections.contains { $0.spans.contains(where: \.cancelled) }
                    ? ", and \(Timeline.cancelledRowName) the tasks that were cancelled before they started." : ".")
                + (sections.count > 1 ? " Both runs are drawn on one time scale." : ""),
            indent: "  ", firstIndent: "  "))
        if solution == nil {
            lines.append(wrapping.wrap(
                wrapping.dim("The solution's run of the same scenario is drawn here, on the same scale, once your exercise passes."),
                indent: "  ", firstIndent: "  "))
        }
        // Wrapped paragraphs are one string each so far: one line each from here on.
        return lines.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// From the section's first submission to its last end.
    static func extent(_ section: TimelineSection) -> Duration {
        guard let first = section.spans.map(\.submitted).min(), let last = section.spans.map(\.finished).max() else { return .zero }
        return last - first
    }

    /// Reads a file that a runner wrote; `nil` if there is none or it cannot be read.
    public static func read(_ path: String) -> TimelineFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(TimelineFile.self, from: data)
    }

    /// Writes the file for the tool.
    public func write(to path: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path))
    }
}
