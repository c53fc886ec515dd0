/// The line under a timeline that says what its symbols mean, written from what the chart
/// actually drew: its examples are tasks that are on the chart, with their own labels.
///
/// ```
///   [B===] B, start to end   [Cxxx] C failed   2 on the queue row: 2 tasks waiting to start
///   1 column ≈ 7.6 ms
/// ```
///
/// A legend written by hand ("[4xxx] task 4 failed") can name a task that is not on the chart,
/// or one that did not fail; this one cannot: `render` notes every span it draws
/// (`Drawn`) and the legend picks its examples from those notes.
struct TimelineLegend {
    /// What a chart drew, noted while drawing it.
    struct Drawn {
        /// One drawn span: its row, its label if the whole label fitted inside the bar, and
        /// whether it was drawn as failed.
        struct Span: Equatable {
            var worker: String
            var label: String?
            var failed: Bool
        }

        var spans: [Span] = []
        /// The characters drawn on the queue rows ("1"..."9", "+").
        var queueCounts: Set<Character> = []
        /// Some span shows its thread asleep (`·`).
        var waits = false
        /// One entry per `×` on the cancelled rows: the label drawn after it, if it fitted.
        var cancelled: [String?] = []
        /// The rows drawn first (`TimelineSection.firstRow`): the caller's, not the workers'.
        var firstRows: Set<String> = []
    }

    let drawn: Drawn
    /// How much time one column of the chart covers.
    let columnTime: Duration

    /// The row name for work the caller did itself (see `TimelineSpan.worker`). Examples come
    /// from the workers' rows when there are any: that is where the tasks are.
    static let callerRow = "main"

    /// A task that ran, as drawn: a labelled span that did not fail, from a worker's row if
    /// possible. `nil` when no label fitted anywhere.
    var runningExample: Drawn.Span? {
        let labelled = drawn.spans.filter { $0.label != nil && !$0.failed }
        return labelled.first { $0.worker != Self.callerRow && !drawn.firstRows.contains($0.worker) } ?? labelled.first
    }

    /// A failed task, as drawn, with its label if it fitted. `nil` when nothing failed.
    var failedExample: Drawn.Span? {
        let failed = drawn.spans.filter(\.failed)
        return failed.first { $0.label != nil } ?? failed.first
    }

    /// The largest count drawn on a queue row: a digit, or "+" for ten or more.
    var queueExample: Character? {
        drawn.queueCounts.contains("+") ? "+" : drawn.queueCounts.filter(\.isNumber).max()
    }

    /// "task 3" for a bare number, the label itself otherwise ("B", "F0", "wait").
    static func name(_ label: String) -> String {
        label.allSatisfy(\.isNumber) ? "task \(label)" : label
    }

    /// The legend's items, plain (no colour): each one a symbol as drawn and what it means.
    var items: [(symbol: String, meaning: String)] {
        var items: [(String, String)] = []
        if let example = runningExample, let label = example.label {
            items.append(("[\(label)===]", Self.name(label) + ", start to end"))
        } else if !drawn.spans.isEmpty {
            items.append(("[===]", "a task, start to end"))
        }
        if let failed = failedExample {
            if let label = failed.label {
                items.append(("[\(label)xxx]", Self.name(label) + " failed"))
            } else {
                items.append(("[xxx]", "a task that failed"))
            }
        }
        if let count = queueExample {
            let meaning = count == "+"
                ? "on the queue row: 10 or more tasks waiting to start"
                : "on the queue row: \(count) task\(count == "1" ? "" : "s") waiting to start"
            items.append((String(count), meaning))
        }
        if drawn.waits {
            items.append(("·", "asleep, waiting (for a result, a lock)"))
        }
        if let label = drawn.cancelled.first(where: { $0 != nil }) ?? nil {
            items.append(("×" + label, Self.name(label) + " cancelled in the queue: it never ran"))
        } else if !drawn.cancelled.isEmpty {
            items.append(("×", "a task cancelled in the queue: it never ran"))
        }
        return items
    }

    /// The legend wrapped to `width`, the time a column covers last.
    func lines(width: Int, color: Bool) -> [String] {
        var painted = items.map { symbol, meaning in
            let styles: [Terminal.Style] = symbol.hasSuffix("xxx]") ? [.red, .bold] : symbol.hasPrefix("[") ? [.cyan]
                : symbol == "·" ? [.dim] : symbol.hasPrefix("×") ? [.magenta] : [.yellow]
            return Terminal.paint(symbol, styles, enabled: color) + " " + meaning
        }
        painted.append("1 column ≈ " + columnTime.readable)
        var lines: [String] = []
        var current = "  "
        for item in painted {
            if Terminal.visibleWidth(current) > 2 && Terminal.visibleWidth(current) + 3 + Terminal.visibleWidth(item) > width {
                lines.append(current)
                current = "  "
            }
            current += (Terminal.visibleWidth(current) > 2 ? "   " : "") + item
        }
        lines.append(current)
        return lines
    }
}
