// Turns a check's events into text for a learner: which scenarios passed, and for the first
// that did not, what was expected, what happened, which property failed, and what to look at.
// The `workbook` tool prints it; the tests attach it to their failures.

/// How to print: colours or not, and how wide the terminal is.
public struct TextStyle: Sendable {
    public var colors: Bool
    public var width: Int
    public init(colors: Bool, width: Int) {
        self.colors = colors
        self.width = max(40, width)
    }
    public static let plain = TextStyle(colors: false, width: 100)

    public func green(_ text: String) -> String { paint(text, "32") }
    public func red(_ text: String) -> String { paint(text, "31") }
    public func yellow(_ text: String) -> String { paint(text, "33") }
    public func bold(_ text: String) -> String { paint(text, "1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func cyan(_ text: String) -> String { paint(text, "36") }

    private func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// `text` wrapped at the style's width, every line after the first indented by `indent`.
    public func wrap(_ text: String, indent: String = "    ", firstIndent: String = "    ") -> String {
        var output: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = output.isEmpty ? firstIndent : indent
            var lineHasWords = false
            for word in paragraph.split(separator: " ") {
                if lineHasWords && visibleCount(line) + 1 + visibleCount(word) > width {
                    output.append(line)
                    line = indent
                    lineHasWords = false
                }
                line += (lineHasWords ? " " : "") + word
                lineHasWords = true
            }
            output.append(line)
        }
        return output.joined(separator: "\n")
    }
}

/// The number of characters of `text` that show on a terminal: colour codes take no room.
func visibleCount(_ text: some StringProtocol) -> Int {
    String(text).replacing(/\u{1B}\[[0-9;]*m/, with: "").count
}

/// The outcome of running one exercise's checks, summed up.
public struct CheckSummary: Sendable, Equatable {
    public var scenarios: [String]
    /// One per scenario that ran, in order.
    public var results: [RunnerEvent]
    /// Set when the runner stopped early without a result (a crash): the scenario it was in.
    public var interruptedScenario: Int?

    public init(events: [RunnerEvent]) {
        scenarios = events.first { $0.kind == .begin }?.scenarios ?? []
        results = events.filter { $0.kind == .result }
        let startedIndices = events.filter { $0.kind == .start }.compactMap(\.index)
        let finishedIndices = Set(results.compactMap(\.index))
        interruptedScenario = startedIndices.last { !finishedIndices.contains($0) }
    }

    public var passedCount: Int { results.filter { $0.status == .passed }.count }
    public var allPassed: Bool { !scenarios.isEmpty && passedCount == scenarios.count }
    public var firstProblem: RunnerEvent? { results.first { $0.status != .passed } }
    /// Every scenario that ran stopped at a `todo` marker.
    public var onlyUnfinished: Bool {
        !results.isEmpty && results.allSatisfy { $0.status == .unfinished }
    }
}

public enum Feedback {
    /// The list of scenarios with a mark each, then the details of the first problem.
    public static func render(_ summary: CheckSummary, style: TextStyle) -> String {
        var lines: [String] = []
        for (index, name) in summary.scenarios.enumerated() {
            let result = summary.results.first { $0.index == index }
            let mark: String
            switch result?.status {
            case .passed?: mark = style.green("✓")
            case .failed?, .timedOut?: mark = style.red("✗")
            case .unfinished?: mark = style.yellow("…")
            case nil: mark = summary.interruptedScenario == index ? style.red("✗") : style.dim("·")
            }
            var line = name
            if result == nil && summary.interruptedScenario == index { line += style.red("  (crashed here)") }
            if result == nil && summary.interruptedScenario != index { line += style.dim("  (not run)") }
            lines.append(style.wrap(line, indent: "    ", firstIndent: "  \(mark) "))
        }
        if let problem = summary.firstProblem, let index = problem.index, index < summary.scenarios.count {
            lines.append("")
            lines.append(details(of: problem, scenario: summary.scenarios[index], style: style))
        }
        return lines.joined(separator: "\n")
    }

    /// The details of one failed scenario.
    public static func details(of problem: RunnerEvent, scenario: String, style: TextStyle) -> String {
        var lines: [String] = []
        let property = problem.property.map { " " + style.dim("[\($0.title)]") } ?? ""
        let heading: String
        switch problem.status {
        case .unfinished?: heading = style.yellow("Not finished yet:")
        case .timedOut?: heading = style.red("Stopped by the watchdog:")
        default: heading = style.red("Failed:")
        }
        lines.append(style.wrap("\(heading) \(style.bold(scenario))\(property)", indent: "    ", firstIndent: ""))
        if let message = problem.message { lines.append(style.wrap(message)) }
        if let expected = problem.expected { lines.append(style.wrap("expected: " + expected, indent: "              ")) }
        if let actual = problem.actual { lines.append(style.wrap("actual:   " + actual, indent: "              ")) }
        if let explanation = problem.explanation {
            for line in explanation.split(separator: "\n") {
                lines.append(style.wrap(String(line), indent: "      "))
            }
        }
        // A drawing: its columns line up only as it was drawn, so it is never wrapped.
        if let timeline = problem.timeline { lines += timeline.map { "  " + $0 } }
        if let advice = problem.advice { lines.append(style.wrap(style.cyan("→ ") + advice, indent: "      ")) }
        return lines.joined(separator: "\n")
    }
}
