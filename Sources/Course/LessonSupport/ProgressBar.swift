import ConcurrentFutures

/// A one-line progress bar that any thread may advance.
///
/// On a terminal it redraws itself in place (a carriage return, no new line); in a pipe or a log
/// it prints a plain line every 10 % instead, so the output stays readable.
///
/// ```swift
/// let progress = ProgressBar(total: urls.count, title: "downloading")
/// future.addDoneCallback { _ in progress.advance() }   // from any worker thread
/// ```
public final class ProgressBar: Sendable {
    public let total: Int
    public let title: String
    private let interactive: Bool
    private let color: Bool
    private let width: Int
    private let output: @Sendable (String) -> Void
    private let state = LockedValue(State())

    private struct State {
        var completed = 0
        var lastDrawn: ContinuousClock.Instant?
        var lastTenth = 0
        var finished = false
    }

    /// - Parameters:
    ///   - interactive: redraw in place; by default, when standard output is a terminal.
    ///   - output: where text goes; by default standard output, flushed at once.
    public init(
        total: Int, title: String = "", width: Int = Terminal.width, interactive: Bool = Terminal.isTTY,
        color: Bool = Terminal.isColorEnabled, output: @escaping @Sendable (String) -> Void = ProgressBar.writeToStandardOutput
    ) {
        self.total = max(0, total)
        self.title = title
        self.width = width
        self.interactive = interactive
        self.color = color
        self.output = output
    }

    /// How many steps are done.
    public var completed: Int { state.withLock { $0.completed } }

    /// Records `steps` more steps done (thread-safe) and redraws if it is time to.
    public func advance(by steps: Int = 1) {
        state.withLock { state in
            guard !state.finished else { return }
            state.completed = min(total, state.completed + steps)
            let now = ContinuousClock.now
            if interactive {
                // Redraw at most every 50 ms, and always at the end.
                if state.completed == total || state.lastDrawn.map({ now - $0 >= .milliseconds(50) }) ?? true {
                    output("\r" + render(completed: state.completed))
                    state.lastDrawn = now
                }
            } else {
                let tenth = total == 0 ? 10 : state.completed * 10 / total
                if tenth > state.lastTenth {
                    state.lastTenth = tenth
                    output(render(completed: state.completed) + "\n")
                }
            }
            if state.completed == total { finishLocked(&state) }
        }
    }

    /// Ends the bar (moves to a new line on a terminal). Called automatically when `total` is reached.
    public func finish() {
        state.withLock { finishLocked(&$0) }
    }

    private func finishLocked(_ state: inout State) {
        guard !state.finished else { return }
        state.finished = true
        if interactive { output("\r" + render(completed: state.completed) + "\n") }
    }

    /// The bar's text for `completed` steps: `  title [██████░░░░]  6/10  60%`.
    public func render(completed: Int) -> String {
        let percent = total == 0 ? 100 : completed * 100 / total
        let counter = " \(String(repeating: " ", count: String(total).count - String(completed).count))\(completed)/\(total) \(percent < 10 ? "  " : percent < 100 ? " " : "")\(percent)%"
        let lead = "  " + (title.isEmpty ? "" : title + " ")
        let barWidth = max(10, min(40, width - lead.count - counter.count - 2))
        let filled = total == 0 ? barWidth : completed * barWidth / total
        let bar = Terminal.paint(String(repeating: "█", count: filled), [.green], enabled: color)
            + Terminal.paint(String(repeating: "░", count: barWidth - filled), [.dim], enabled: color)
        return lead + "[" + bar + "]" + counter
    }

    /// Writes to standard output through the lesson's presenter (so a bar outside the section
    /// being shown stays hidden), flushed, so a redraw without a new line shows at once.
    @Sendable public static func writeToStandardOutput(_ text: String) {
        Presenter.current.emitRaw(text)
    }
}
