import ConcurrentFutures
import Testing

@testable import LessonSupport

/// Instants at whole milliseconds after a fixed origin, so layouts are exact.
private let origin = ContinuousClock.now
private func at(_ milliseconds: Int) -> ContinuousClock.Instant { origin + .milliseconds(milliseconds) }

/// A span from `start` to `end` ms; submitted when it started unless `submitted` says otherwise.
private func span(_ worker: String, _ label: String, submitted: Int? = nil, _ start: Int, _ end: Int, failed: Bool = false) -> TimelineSpan {
    TimelineSpan(worker: worker, label: label, submitted: at(submitted ?? start), started: at(start), finished: at(end), failed: failed)
}

/// What a span of `columns` columns looks like: `[label====]`.
private func bar(_ label: String, _ columns: Int, fill: Character = "=") -> String {
    "[" + label + String(repeating: fill, count: columns - 2 - label.count) + "]"
}

private func spaces(_ count: Int) -> String { String(repeating: " ", count: count) }

/// The output width that leaves exactly `track` columns for time, for spans that end after
/// `extent` ms (row names are up to 5 wide: "queue"; the axis keeps room for its last label).
private func width(track: Int, extent: Int) -> Int {
    let labelRoom: Int = Layout.axisLabelRoom(scale: .milliseconds(extent))
    return 2 + 5 + 2 + track + 1 + labelRoom
}

/// The row of `lines` whose name column reads `name`, without the name.
private func row(_ name: String, in lines: [String]) -> String? {
    lines.first { $0.hasPrefix("  " + name + " ") && $0.contains("│") }.map { String($0.split(separator: "│", maxSplits: 1)[1]) }
}

@Suite("Timeline")
struct TimelineTests {
    @Test("events are paired into spans, in task order, with labels or task numbers")
    func spansFromEvents() {
        let events: [TaskEvent] = [
            TaskEvent(taskID: 1, label: nil, kind: .finished(.threw("boom")), time: at(40)),
            TaskEvent(taskID: 0, label: "first", kind: .submitted, time: at(0)),
            TaskEvent(taskID: 1, label: nil, kind: .submitted, time: at(1)),
            TaskEvent(taskID: 0, label: "first", kind: .started(worker: "w_0"), time: at(2)),
            TaskEvent(taskID: 1, label: nil, kind: .started(worker: "w_1"), time: at(3)),
            TaskEvent(taskID: 0, label: "first", kind: .finished(.returned), time: at(30)),
            TaskEvent(taskID: 2, label: nil, kind: .submitted, time: at(4)),
            TaskEvent(taskID: 2, label: nil, kind: .finished(.cancelled), time: at(5)),
        ]
        let spans = TimelineSpan.spans(from: events)
        #expect(spans == [
            TimelineSpan(worker: "w_0", label: "first", submitted: at(0), started: at(2), finished: at(30), failed: false),
            TimelineSpan(worker: "w_1", label: "1", submitted: at(1), started: at(3), finished: at(40), failed: true),
        ])
        #expect(spans[0].queueWait == .milliseconds(2))
        #expect(spans[1].runTime == .milliseconds(37))
    }

    @Test("each span is drawn on its worker's row, at its place, with its label")
    func spansOnTheirRows() {
        // 100 ms over a 50-column track: 2 ms per column.
        let spans = [span("w_0", "A", 0, 40), span("w_1", "B", 20, 100), span("w_0", "C", 60, 80)]
        let lines = Timeline.render(spans: spans, width: width(track: 50, extent: 100), color: false)
        #expect(row("w_0", in: lines) == bar("A", 20) + spaces(10) + bar("C", 10))
        #expect(row("w_1", in: lines) == spaces(10) + bar("B", 40))
        #expect(row("queue", in: lines) == nil)  // nothing waited
    }

    @Test("widths are proportional to durations")
    func proportionalWidths() {
        let spans = [span("a", "1", 0, 10), span("b", "2", 0, 20), span("c", "3", 0, 40), span("d", "4", 0, 80)]
        let lines = Timeline.render(spans: spans, width: width(track: 80, extent: 80), color: false)
        let widths = ["a", "b", "c", "d"].map { row($0, in: lines)?.count ?? 0 }
        #expect(widths == [10, 20, 40, 80])
    }

    @Test("labels that do not fit are left out, short spans still show")
    func shortSpans() {
        let spans = [span("w", "long label", 0, 10), span("w", "x", 20, 21), span("w", "y", 40, 42)]
        let lines = Timeline.render(spans: spans, width: width(track: 42, extent: 42), color: false)
        #expect(row("w", in: lines) == bar("", 10) + spaces(10) + "|" + spaces(19) + "[]")
    }

    @Test("a failed task is drawn with x and named in the legend")
    func failedSpan() {
        let lines = Timeline.render(spans: [span("w", "7", 0, 10, failed: true)], width: width(track: 10, extent: 10), color: false)
        #expect(row("w", in: lines) == bar("7", 10, fill: "x"))
        #expect(lines.contains { $0.contains("failed") })
        let healthy = Timeline.render(spans: [span("w", "7", 0, 10)], width: width(track: 10, extent: 10), color: false)
        #expect(!healthy.contains { $0.contains("failed") })
    }

    @Test("the queue row counts the tasks waiting in each column")
    func queueRow() {
        // Two workers, four tasks of 10 ms submitted at once: two wait 10 ms.
        let spans = [
            span("w_0", "0", 0, 10), span("w_1", "1", 0, 10),
            span("w_0", "2", submitted: 0, 10, 20), span("w_1", "3", submitted: 0, 10, 20),
        ]
        let lines = Timeline.render(spans: spans, width: width(track: 20, extent: 20), color: false)
        #expect(row("queue", in: lines) == "2222222222")
        #expect(row("w_0", in: lines) == bar("0", 10) + bar("2", 10))
        #expect(lines.contains { $0.contains("2 on the queue row: 2 tasks waiting to start") })
    }

    @Test("sequential and pooled runs share one time scale")
    func sequentialVersusPooled() {
        let sequential = (0..<4).map { span("main", "\($0)", submitted: 0, $0 * 100, ($0 + 1) * 100) }
        let pooled = (0..<4).map { span("w_\($0)", "\($0)", 0, 100) }  // all started as soon as submitted
        let lines = Timeline.render(
            sections: [TimelineSection("one by one", spans: sequential), TimelineSection("pool", spans: pooled)],
            width: width(track: 40, extent: 400), color: false)
        #expect(lines[0] == "  one by one — 400.0 ms")
        #expect(row("main", in: lines) == bar("0", 10) + bar("1", 10) + bar("2", 10) + bar("3", 10))
        #expect(row("queue", in: lines) == String(repeating: "3", count: 10) + String(repeating: "2", count: 10) + String(repeating: "1", count: 10))
        #expect(lines.contains("  pool — 100.0 ms"))
        for worker in 0..<4 {
            #expect(row("w_\(worker)", in: lines) == bar("\(worker)", 10))
        }
        // The pool's section comes after the sequential one's rows.
        #expect(lines.firstIndex(of: "  pool — 100.0 ms")! > lines.firstIndex { $0.hasPrefix("  main ") }!)
        // Ticks every 100 ms = 10 columns, labelled in milliseconds under the track.
        let axisIndex = lines.firstIndex { $0.contains("└") }!
        let tick = String(repeating: "─", count: 9)
        #expect(lines[axisIndex] == spaces(8) + "└" + "─" + tick + "┬" + tick + "┬" + tick + "┬" + tick)
        #expect(lines[axisIndex + 1] == spaces(9) + "0" + spaces(9) + "100" + spaces(7) + "200" + spaces(7) + "300" + spaces(7) + "400 ms")
    }

    @Test("workers are listed in natural order, long names shortened")
    func rowOrderAndNames() {
        let spans = ["w_10", "w_9", "ThreadPoolExecutor-0_1", "w_2"].map { span($0, "t", 0, 10) }
        let lines = Timeline.render(spans: spans, width: 100, color: false)
        let names = lines.filter { $0.contains("│") }.map { $0.split(separator: "│")[0].trimmingSpaces() }
        #expect(names == ["…Executor-0_1", "w_2", "w_9", "w_10"])
        #expect(Timeline.naturalOrder("worker_9", "worker_10"))
        #expect(!Timeline.naturalOrder("worker_10", "worker_9"))
    }

    @Test("plain output has no escape codes; coloured output has the same text")
    func plainAndColour() {
        let spans = [span("w_0", "0", 0, 30), span("w_1", "1", submitted: 0, 30, 60, failed: true)]
        let plain = Timeline.render(sections: [TimelineSection("run", spans: spans)], width: 60, color: false)
        let coloured = Timeline.render(sections: [TimelineSection("run", spans: spans)], width: 60, color: true)
        #expect(!plain.joined().contains("\u{1B}"))
        #expect(coloured.joined().contains("\u{1B}["))
        #expect(coloured.map(Terminal.stripEscapes) == plain)
        #expect(plain.allSatisfy { $0.count <= 60 + 12 })  // the last axis label may run a little past the track
    }

    @Test("a span recorder notes work done on the calling thread, one row, queued or not")
    func spanRecorder() {
        let queued = SpanRecorder(queued: true)
        let results = [3, 1, 2].map { value in
            queued.record {
                usleepMilliseconds(value)
                return value * 10
            }
        }
        #expect(results == [30, 10, 20])
        let spans = queued.spans
        #expect(spans.map(\.label) == ["0", "1", "2"])
        #expect(Set(spans.map(\.worker)) == ["main"])
        #expect(Set(spans.map(\.submitted)).count == 1, "queued: all handed over at the start")
        #expect(spans[0].finished <= spans[1].started && spans[1].finished <= spans[2].started)
        #expect(spans[0].runTime >= .milliseconds(3))

        let own = SpanRecorder()
        own.record("wait") { usleepMilliseconds(1) }
        #expect(own.spans.map(\.label) == ["wait"])
        #expect(own.spans[0].queueWait == .zero, "not queued: handed over when it started")
        // A body that throws is still recorded.
        _ = try? own.record("failed") { () throws -> Int in throw CancellationError() }
        #expect(own.spans.map(\.label) == ["wait", "failed"])
    }

    @Test("nothing to draw is said plainly")
    func empty() {
        #expect(Timeline.render(sections: [], width: 80, color: false) == ["  (nothing ran)"])
    }
}

private func usleepMilliseconds(_ milliseconds: Int) {
    let end = ContinuousClock.now + .milliseconds(milliseconds)
    while ContinuousClock.now < end {}
}
