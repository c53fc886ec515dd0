import ConcurrentFutures

/// One task's life on a timeline: when it was handed over, when a worker picked it up, when it ended.
public struct TimelineSpan: Sendable, Equatable {
    /// The row it is drawn on: a worker thread's name, or "main" for work done by the caller itself.
    public var worker: String
    /// Short text drawn inside the span when it fits, e.g. the task's index.
    public var label: String
    public var submitted: ContinuousClock.Instant
    public var started: ContinuousClock.Instant
    public var finished: ContinuousClock.Instant
    /// The task threw an error (drawn differently).
    public var failed: Bool
    /// The task never ran: it waited in the queue from `submitted` until it was cancelled at
    /// `started` (which is also `finished`). Drawn on the row "cancelled", as `×label` there.
    public var cancelled: Bool
    /// The stretches of the span in which its thread was asleep, waiting (for a future, a lock):
    /// drawn `·` instead of `=`. The workbook's checks note them for the thread that called the
    /// code under test.
    public var waits: [Range<ContinuousClock.Instant>]

    public init(
        worker: String, label: String, submitted: ContinuousClock.Instant, started: ContinuousClock.Instant,
        finished: ContinuousClock.Instant, failed: Bool = false, cancelled: Bool = false,
        waits: [Range<ContinuousClock.Instant>] = []
    ) {
        self.worker = worker
        self.label = label
        self.submitted = submitted
        self.started = started
        self.finished = finished
        self.failed = failed
        self.cancelled = cancelled
        self.waits = waits
    }

    /// Time spent waiting in the queue for a free worker.
    public var queueWait: Duration { started - submitted }
    /// Time spent running.
    public var runTime: Duration { finished - started }

    /// Pairs an executor's observation events into spans, one per task that started and finished.
    /// A task cancelled before it started has no span, unless `includingCancelled` asks for one
    /// (`cancelled`, from its submission to its cancellation). Labels are the submitted labels,
    /// or the task number. Events may come in any order.
    public static func spans(from events: [TaskEvent], includingCancelled: Bool = false) -> [TimelineSpan] {
        struct Partial {
            var label: String?
            var submitted: ContinuousClock.Instant?
            var started: ContinuousClock.Instant?
            var worker: String?
            var finished: ContinuousClock.Instant?
            var failed = false
            var cancelled = false
        }
        var tasks: [Int: Partial] = [:]
        for event in events {
            var task = tasks[event.taskID, default: Partial()]
            task.label = task.label ?? event.label
            switch event.kind {
            case .submitted:
                task.submitted = event.time
            case .started(let worker):
                task.started = event.time
                task.worker = worker
            case .finished(let outcome):
                task.finished = event.time
                if case .threw = outcome { task.failed = true }
                if case .cancelled = outcome { task.cancelled = true }
            }
            tasks[event.taskID] = task
        }
        return tasks.sorted { $0.key < $1.key }.compactMap { id, task in
            if includingCancelled, task.cancelled, task.started == nil, let finished = task.finished {
                return TimelineSpan(
                    worker: Timeline.cancelledRowName, label: task.label ?? "\(id)", submitted: task.submitted ?? finished,
                    started: finished, finished: finished, cancelled: true)
            }
            guard let started = task.started, let finished = task.finished, let worker = task.worker else { return nil }
            return TimelineSpan(
                worker: worker, label: task.label ?? "\(id)", submitted: task.submitted ?? started,
                started: started, finished: finished, failed: task.failed)
        }
    }
}

/// A titled group of rows on a timeline, e.g. "one by one" or "pool of 10 workers".
public struct TimelineSection: Sendable {
    public var title: String
    public var spans: [TimelineSpan]
    /// A row drawn above the others (the thread that called the code under test, say); the
    /// others come in natural order.
    public var firstRow: String?

    public init(_ title: String, spans: [TimelineSpan], firstRow: String? = nil) {
        self.title = title
        self.spans = spans
        self.firstRow = firstRow
    }
}

/// Draws who ran what, when: one row per worker, time flowing to the right.
///
/// ```
///   one by one — 3.03 s
///   queue │99988877766655544433322211
///   main  │[0=][1=][2=][3=][4=][5=][6=][7=][8=][9=]
///   pool of 10 — 305.1 ms
///   w_0   │[0=]
///   w_1   │[1=]
///         └────────┬─────────┬─────────┬────────
///          0       1000      2000      3000 ms
/// ```
///
/// Several sections share one time scale, each measured from its own first submission, so a
/// sequential run and a pooled run of the same work can be compared at a glance.
public enum Timeline {
    /// Names longer than this are shortened from the left ("…Executor-0_3").
    public static let maximumRowNameWidth = 14
    /// The row of the tasks that were cancelled in the queue and never ran.
    public static let cancelledRowName = "cancelled"

    /// Prints the sections to standard output (through the lesson's presenter), sized and
    /// coloured for the terminal.
    public static func print(_ sections: [TimelineSection]) {
        emit(render(sections: sections, width: Terminal.width, color: Terminal.isColorEnabled) + [""])
    }

    /// One section without a title, on its own scale.
    public static func render(spans: [TimelineSpan], width: Int, color: Bool) -> [String] {
        Array(render(sections: [TimelineSection("", spans: spans)], width: width, color: color).dropFirst())
    }

    /// The full picture: each section's title and rows, a shared time axis, and a legend.
    /// Deterministic for given spans, width and colour, so it can be tested.
    public static func render(sections: [TimelineSection], width: Int, color: Bool) -> [String] {
        let sections = sections.filter { !$0.spans.isEmpty }
        guard !sections.isEmpty else { return ["  (nothing ran)"] }
        let extents = sections.map(extent)
        let scale = max(extents.max() ?? .zero, .nanoseconds(1))
        let rowNames = sections.flatMap { workers(in: $0.spans) + ($0.spans.contains(where: \.cancelled) ? [cancelledRowName] : []) } + ["queue"]
        let nameWidth = min(maximumRowNameWidth, rowNames.map(\.count).max() ?? 0)
        // The axis writes its last tick label and unit ("400 ms") past the end of the chart,
        // so the chart leaves that much room at the right to stay within `width`.
        let labelRoom = Layout.axisLabelRoom(scale: scale)
        let trackWidth = max(10, width - 2 - nameWidth - 2 - 1 - labelRoom)
        let layout = Layout(scale: scale, columns: trackWidth, nameWidth: nameWidth, color: color)

        var lines: [String] = []
        var drawn = TimelineLegend.Drawn()
        for (section, extent) in zip(sections, extents) {
            if let firstRow = section.firstRow { drawn.firstRows.insert(firstRow) }
            let header = section.title.isEmpty ? "" : layout.paint(section.title, .bold) + " — "
            lines.append("  " + header + layout.paint(extent.readable, .bold))
            lines += layout.rows(for: section.spans, firstRow: section.firstRow, noting: &drawn)
        }
        lines += layout.axis()
        lines += TimelineLegend(drawn: drawn, columnTime: scale / trackWidth).lines(width: width, color: color)
        return lines
    }

    /// From the section's first submission to its last finish.
    static func extent(of section: TimelineSection) -> Duration {
        guard let first = section.spans.map(\.submitted).min(), let last = section.spans.map(\.finished).max() else { return .zero }
        return last - first
    }

    /// The distinct worker names in `spans`, in natural order ("w_2" before "w_10"); `first`
    /// leads if it is there. Cancelled tasks have no worker: they are on a row of their own.
    static func workers(in spans: [TimelineSpan], first: String? = nil) -> [String] {
        let names = Array(Set(spans.filter { !$0.cancelled }.map(\.worker))).sorted(by: naturalOrder)
        guard let first, names.contains(first) else { return names }
        return [first] + names.filter { $0 != first }
    }

    /// Compares names so that runs of digits compare by value: "worker_9" < "worker_10".
    static func naturalOrder(_ left: String, _ right: String) -> Bool {
        var leftIndex = left.startIndex
        var rightIndex = right.startIndex
        while leftIndex < left.endIndex && rightIndex < right.endIndex {
            if left[leftIndex].isNumber && right[rightIndex].isNumber {
                let leftDigits = left[leftIndex...].prefix(while: \.isNumber)
                let rightDigits = right[rightIndex...].prefix(while: \.isNumber)
                if let a = Int(leftDigits), let b = Int(rightDigits), a != b { return a < b }
                leftIndex = leftDigits.endIndex
                rightIndex = rightDigits.endIndex
            } else {
                if left[leftIndex] != right[rightIndex] { return left[leftIndex] < right[rightIndex] }
                leftIndex = left.index(after: leftIndex)
                rightIndex = right.index(after: rightIndex)
            }
        }
        return left.count < right.count
    }
}

/// The geometry shared by every row: how many columns, how much time each one covers.
struct Layout {
    let scale: Duration
    let columns: Int
    let nameWidth: Int
    let color: Bool
    let queueRowName = "queue"

    /// How a cell is painted.
    enum Ink: Equatable {
        case none, taskA, taskB, failed, queue, label, waiting, cancelled
    }

    func paint(_ text: String, _ styles: Terminal.Style...) -> String {
        Terminal.paint(text, styles, enabled: color)
    }

    /// The column where time `offset` (from the section's start) falls.
    func column(_ offset: Duration) -> Int {
        let fraction = offset.inSeconds / scale.inSeconds
        return min(columns, max(0, Int((fraction * Double(columns)).rounded())))
    }

    func rowPrefix(_ name: String) -> String {
        let shown = name.count > nameWidth ? Self.shortened(name, to: nameWidth) : name
        return "  " + paint(shown + String(repeating: " ", count: nameWidth - shown.count), .dim) + paint(" │", .dim)
    }

    /// Keeps the end of a long name, which tells workers apart, starting at a word if possible:
    /// "ThreadPoolExecutor-0_1" becomes "…Executor-0_1".
    static func shortened(_ name: String, to width: Int) -> String {
        var tail = Substring(name.suffix(width - 1))
        let original = tail
        while let first = tail.first, first.isLowercase { tail = tail.dropFirst() }
        return "…" + (tail.isEmpty ? original : tail)
    }

    /// The queue row (if anything waited long enough to see), one row per worker (`firstRow`
    /// above the queue row), and the row of the tasks cancelled before they ran. Notes in
    /// `drawn` what ended up on the chart, for the legend.
    func rows(for spans: [TimelineSpan], firstRow: String? = nil, noting drawn: inout TimelineLegend.Drawn) -> [String] {
        let origin = spans.map(\.submitted).min()!
        var lines: [String] = []
        let workers = Timeline.workers(in: spans, first: firstRow)
        let leading = firstRow.map { workers.prefix(1).contains($0) } == true ? 1 : 0
        if let queue = queueCells(for: spans, origin: origin) {
            lines.append(rowPrefix(queueRowName) + draw(queue))
            drawn.queueCounts.formUnion(queue.compactMap { $0.1 == .queue ? $0.0 : nil })
        }
        for (index, worker) in workers.enumerated() {
            var cells = Array(repeating: (Character(" "), Ink.none), count: columns)
            let mine = spans.filter { $0.worker == worker }.sorted { $0.started < $1.started }
            var labelColumns: [Int?] = []
            for (order, span) in mine.enumerated() {
                labelColumns.append(drawSpan(span, into: &cells, origin: origin, ink: span.failed ? .failed : (order.isMultiple(of: 2) ? .taskA : .taskB)))
            }
            // A span drawn later may cover part of an earlier one (a process pool's worker can
            // start its next call before the last reply is in): only a label still whole on
            // the finished row counts as drawn.
            for (span, column) in zip(mine, labelColumns) {
                let intact = column.map { column in
                    cells[column..<(column + span.label.count + 1)].map(\.0) == Array("[" + span.label)
                } ?? false
                drawn.spans.append(.init(worker: worker, label: intact ? span.label : nil, failed: span.failed))
            }
            drawn.waits = drawn.waits || cells.contains { $0.1 == .waiting }
            let line = rowPrefix(worker) + draw(cells)
            if index < leading { lines.insert(line, at: 0) } else { lines.append(line) }
        }
        let cancelled = spans.filter(\.cancelled)
        if !cancelled.isEmpty {
            lines.append(rowPrefix(Timeline.cancelledRowName) + draw(cancelledCells(for: cancelled, origin: origin, noting: &drawn)))
        }
        return lines
    }

    /// `×label` in the column where each cancelled task left the queue, or just `×` where the
    /// label would run into the next mark. Tasks cancelled in the same column share one `×`.
    /// The row may run into the room kept right of the chart for the axis labels.
    private func cancelledCells(for spans: [TimelineSpan], origin: ContinuousClock.Instant, noting drawn: inout TimelineLegend.Drawn) -> [(Character, Ink)] {
        var cells = Array(repeating: (Character(" "), Ink.none), count: columns + Layout.axisLabelRoom(scale: scale))
        let marks = spans.map { (column: min(column($0.started - origin), columns - 1), label: $0.label) }.sorted { $0.column < $1.column }
        for (index, mark) in marks.enumerated() {
            if index > 0 && marks[index - 1].column == mark.column { continue }
            let next = marks[(index + 1)...].first { $0.column > mark.column }?.column ?? cells.count
            let text = Array("×" + mark.label)
            let labelFits = !mark.label.isEmpty && mark.column + text.count < next
            for (offset, glyph) in (labelFits ? text : ["×"]).enumerated() { cells[mark.column + offset] = (glyph, .cancelled) }
            drawn.cancelled.append(labelFits ? mark.label : nil)
        }
        return cells
    }

    /// `[label===]` across the span's columns; `x` instead of `=` if it failed, `·` where its
    /// thread was asleep (`waits`); `[]` or `|` when short.
    /// Returns the column of the `[` when the whole label was drawn, `nil` otherwise.
    @discardableResult
    private func drawSpan(_ span: TimelineSpan, into cells: inout [(Character, Ink)], origin: ContinuousClock.Instant, ink: Ink) -> Int? {
        var first = column(span.started - origin)
        var end = column(span.finished - origin)
        if first >= columns { first = columns - 1 }
        if end <= first { end = first + 1 }
        let width = end - first
        let fill: Character = span.failed ? "x" : "="
        var glyphs: [Character]
        switch width {
        case 1: glyphs = ["|"]
        case 2: glyphs = ["[", "]"]
        default:
            let inside = width - 2
            let label = span.label.count <= inside ? Array(span.label) : []
            glyphs = ["["] + label + Array(repeating: fill, count: inside - label.count) + ["]"]
        }
        let labelShown = !span.label.isEmpty && width >= span.label.count + 2
        for (offset, glyph) in glyphs.enumerated() {
            let isLabel = labelShown && offset >= 1 && offset <= span.label.count
            cells[first + offset] = (glyph, isLabel ? (span.failed ? .failed : .label) : ink)
        }
        // The waits: only the fill between the brackets turns into `·`, never the label.
        for wait in span.waits {
            let from = max(first + 1, column(wait.lowerBound - origin))
            let to = min(end - 1, column(wait.upperBound - origin))
            for index in stride(from: from, to: to, by: 1) where cells[index].0 == fill {
                cells[index] = ("·", .waiting)
            }
        }
        return labelShown ? first : nil
    }

    /// How many tasks were waiting in each column (a digit, `+` for ten or more); `nil` if none ever did.
    private func queueCells(for spans: [TimelineSpan], origin: ContinuousClock.Instant) -> [(Character, Ink)]? {
        var cells = Array(repeating: (Character(" "), Ink.none), count: columns)
        var anyWaiting = false
        for index in 0..<columns {
            let middle = scale * ((Double(index) + 0.5) / Double(columns))
            let waiting = spans.count { $0.submitted - origin <= middle && middle < $0.started - origin }
            guard waiting > 0 else { continue }
            anyWaiting = true
            cells[index] = (waiting < 10 ? Character("\(waiting)") : "+", .queue)
        }
        return anyWaiting ? cells : nil
    }

    /// Turns cells into text, grouping runs of the same ink into one escape sequence.
    private func draw(_ cells: [(Character, Ink)]) -> String {
        var cells = cells
        while let last = cells.last, last.0 == " " { cells.removeLast() }
        var text = ""
        var run = ""
        var runInk = Ink.none
        func flush() {
            switch runInk {
            case .none: text += run
            case .taskA: text += paint(run, .cyan)
            case .taskB: text += paint(run, .blue)
            case .failed: text += paint(run, .red, .bold)
            case .queue: text += paint(run, .yellow)
            case .label: text += paint(run, .bold)
            case .waiting: text += paint(run, .dim)
            case .cancelled: text += paint(run, .magenta)
            }
            run = ""
        }
        for (character, ink) in cells {
            if ink != runInk {
                flush()
                runInk = ink
            }
            run.append(character)
        }
        flush()
        return text
    }

    /// The time axis: a rule with ticks and their labels in milliseconds (microseconds for very short runs).
    func axis() -> [String] {
        let step = tickStep()
        var rule = Array(repeating: Character("─"), count: columns)
        // Labels may run past the end of the rule by `axisLabelRoom` (the room `render` kept
        // free for them); a label, or the unit after the last one, is drawn only where it fits.
        var labels = Array(repeating: Character(" "), count: columns + Layout.axisLabelRoom(scale: scale))
        var nextFree = 0  // labels need a space between them
        let useMicroseconds = step < .milliseconds(1)
        var tick = Duration.zero
        var lastLabelEnd = 0
        while tick <= scale {
            let position = column(tick)
            if position > 0 && position < columns { rule[position] = "┬" }  // "└" already marks zero
            let value = useMicroseconds ? tick.nanosecondsRounded / 1_000 : tick.nanosecondsRounded / 1_000_000
            let text = Array("\(value)")
            if position >= nextFree && position + text.count <= labels.count {
                labels.replaceSubrange(position..<(position + text.count), with: text)
                nextFree = position + text.count + 1
                lastLabelEnd = position + text.count
            }
            tick += step
        }
        let unit = Array(useMicroseconds ? " µs" : " ms")
        if lastLabelEnd + unit.count <= labels.count {
            labels.replaceSubrange(lastLabelEnd..<(lastLabelEnd + unit.count), with: unit)
        }
        let padding = String(repeating: " ", count: nameWidth + 2)
        while labels.last == " " { labels.removeLast() }
        return [
            "  " + padding.dropLast() + paint("└" + String(rule), .dim),
            "  " + padding + paint(String(labels), .dim),
        ]
    }

    /// Columns the axis needs right of the chart for its last label and unit: "400 ms" is 6.
    static func axisLabelRoom(scale: Duration) -> Int {
        // The axis labels in µs when its tick step is under 1 ms, which can happen for charts up
        // to a few tens of milliseconds wide; reserving for µs below 50 ms is always enough.
        let useMicroseconds = scale < .milliseconds(50)
        let largest = useMicroseconds ? scale.nanosecondsRounded / 1_000 : scale.nanosecondsRounded / 1_000_000
        return "\(largest)".count + 3
    }

    /// The smallest "round" step (1, 2 or 5 times a power of ten) that keeps ticks ≥ 10 columns apart.
    private func tickStep() -> Duration {
        let maximumTicks = max(1, columns / 10)
        var magnitude = Duration.microseconds(1)
        while true {
            for multiple in [1, 2, 5] {
                let step = magnitude * multiple
                if scale / step <= Double(maximumTicks) { return step }
            }
            magnitude *= 10
        }
    }
}
