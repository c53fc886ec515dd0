import ConcurrentFutures
import Testing

@testable import LessonSupport

/// Instants at whole milliseconds after a fixed origin, so layouts are exact.
private let origin = ContinuousClock.now
private func at(_ milliseconds: Int) -> ContinuousClock.Instant { origin + .milliseconds(milliseconds) }

private func span(_ worker: String, _ label: String, submitted: Int? = nil, _ start: Int, _ end: Int, failed: Bool = false) -> TimelineSpan {
    TimelineSpan(worker: worker, label: label, submitted: at(submitted ?? start), started: at(start), finished: at(end), failed: failed)
}

/// The rows of a rendered chart (the part right of "│"), and its legend (the lines after the
/// axis labels).
private func parts(of lines: [String]) -> (rows: [String: String], legend: String) {
    var rows: [String: String] = [:]
    for line in lines where line.contains("│") {
        let halves = line.split(separator: "│", maxSplits: 1, omittingEmptySubsequences: false)
        rows[String(halves[0].trimmingSpaces())] = String(halves[1])
    }
    let axis = lines.firstIndex { $0.contains("└") }!
    return (rows, lines[(axis + 2)...].joined(separator: "\n"))
}

/// Every legend entry that names a task: ("[B===]", "B", false) or ("[3xxx]", "task 3", true).
private func namedEntries(in legend: String) -> [(symbol: String, label: String, failed: Bool)] {
    var entries: [(String, String, Bool)] = []
    var rest = Substring(legend)
    while let open = rest.firstIndex(of: "[") {
        guard let close = rest[open...].firstIndex(of: "]") else { break }
        let symbol = String(rest[open...close])
        let inside = symbol.dropFirst().dropLast()
        let failed = inside.hasSuffix("xxx")
        let label = String(inside.dropLast(3))
        if !label.isEmpty { entries.append((symbol, label, failed)) }
        rest = rest[rest.index(after: close)...]
    }
    return entries
}

@Suite("Timeline legend: written from what the chart drew")
struct TimelineLegendTests {
    @Test("lesson 07's chart: the legend names the task that failed, task 3, and a task that ran")
    func failedTaskIsTheOneOnTheChart() {
        // Eight pages on two workers; task 3 fails (the old hand-written legend said task 4).
        let spans = [
            span("worker_0", "0", 0, 20), span("worker_1", "1", 0, 20),
            span("worker_0", "2", submitted: 0, 20, 40), span("worker_1", "3", submitted: 0, 20, 40, failed: true),
            span("worker_0", "4", submitted: 0, 40, 60), span("worker_1", "5", submitted: 0, 40, 60),
        ]
        let (rows, legend) = parts(of: Timeline.render(spans: spans, width: 100, color: false))
        #expect(legend.contains("[3xxx] task 3 failed"))
        #expect(!legend.contains("task 4"))
        #expect(rows["worker_1"]!.contains("[3xxx"))
        #expect(legend.contains("[0===] task 0, start to end"))
    }

    @Test("lesson 05's chart: rows labelled A to D are named A to D, not numbered")
    func labelsAreTheChartsOwn() {
        let spans = [
            span("main", "wait", 0, 55), span("worker_0", "A", 0, 10), span("worker_1", "B", 0, 25, failed: true),
            span("worker_2", "C", 0, 40), span("worker_3", "D", 0, 55),
        ]
        let legend = parts(of: Timeline.render(spans: spans, width: 100, color: false)).legend
        #expect(legend.contains("[A===] A, start to end"), "an example from a worker's row, not the caller's")
        #expect(legend.contains("[Bxxx] B failed"))
        #expect(!legend.contains("task"))
    }

    @Test("no failure, no failure entry; no queue, no queue entry")
    func onlyWhatIsThere() {
        let legend = parts(of: Timeline.render(spans: [span("w_0", "7", 0, 10)], width: 80, color: false)).legend
        #expect(legend.contains("[7===] task 7, start to end"))
        #expect(!legend.contains("failed"))
        #expect(!legend.contains("queue"))
        #expect(legend.contains("1 column ≈"))
    }

    @Test("the queue entry shows a count that the queue row shows")
    func queueEntry() {
        // Two workers, five tasks submitted at once: up to three wait.
        let spans = [
            span("w_0", "0", 0, 10), span("w_1", "1", 0, 10),
            span("w_0", "2", submitted: 0, 10, 20), span("w_1", "3", submitted: 0, 10, 20),
            span("w_0", "4", submitted: 0, 20, 30),
        ]
        let (rows, legend) = parts(of: Timeline.render(spans: spans, width: 60, color: false))
        #expect(legend.contains("3 on the queue row: 3 tasks waiting to start"))
        #expect(rows["queue"]!.contains("3"))
        let one = parts(of: Timeline.render(spans: [span("w", "0", 0, 10), span("w", "1", submitted: 0, 10, 20)], width: 60, color: false))
        #expect(one.legend.contains("1 on the queue row: 1 task waiting to start"))
    }

    @Test("spans too short for their labels give an example without a label")
    func noLabelFits() {
        let spans = [span("w", "a long label", 0, 1), span("w", "another", 99, 100, failed: true)]
        let legend = parts(of: Timeline.render(spans: spans, width: 60, color: false)).legend
        #expect(legend.contains("[===] a task, start to end"))
        #expect(legend.contains("[xxx] a task that failed"))
        #expect(!legend.contains("a long label"))
    }

    @Test("for many charts, every task the legend names is drawn on the chart, failed ones with x",
          arguments: 0..<100)
    func legendEntriesAreDrawnTasks(seed: Int) {
        // The chart is made from `seed` alone, so a failure can be replayed.
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let workers = 1 + next(4)
        var clock = Array(repeating: 0, count: workers)
        var spans: [TimelineSpan] = []
        for task in 0..<(2 + next(12)) {
            let worker = next(workers)
            let length = 1 + next(60)
            let labels = ["\(task)", "P\(task)", "page \(task)", "X"]
            spans.append(span(
                next(5) == 0 ? "main" : "w_\(worker)", labels[next(labels.count)], submitted: 0,
                clock[worker], clock[worker] + length, failed: next(4) == 0))
            clock[worker] += length + next(10)
        }
        let lines = Timeline.render(spans: spans, width: 40 + next(80), color: false)
        let (rows, legend) = parts(of: lines)
        for entry in namedEntries(in: legend) {
            let drawn = rows.values.contains { row in
                row.contains("[" + entry.label + (entry.failed ? "x" : "")) || row.contains("[" + entry.label + "]")
            }
            #expect(drawn, "the legend names \(entry.symbol), which is not drawn:\n\(lines.joined(separator: "\n"))")
            #expect(spans.contains { $0.label == entry.label && $0.failed == entry.failed })
        }
        #expect(legend.contains("failed") == spans.contains(where: \.failed))
    }
}
