import SystemPlatform  // exit
import WorkbookCourse  // the exercises' titles

/// Helpers that let a lesson's `main.swift` read top to bottom like a script:
///
/// ```swift
/// lesson(info)
/// section("One page after another")                  // "1. One page after another"
/// say("Each download waits 300 ms for the server. Ten of them wait ten times as long.")
/// code(snippet: "one-by-one", python: "for url in urls:\n    fetch(url)")
/// result("wall time", elapsed.readable)
/// takeaways(["A pool overlaps waiting."])
/// exercise(id: "02a", description: "Fetch two pages at once.")   // "02a Two pages at once"
/// nextStep(command: "swift run lesson02")
/// ```
///
/// Everything they print goes through the lesson's `Presenter`, which shows it, or not
/// (`--section N`), and pauses between sections (`--step`).
///
/// Prose may mark code with backticks: `submit` is shown in colour on a terminal and
/// keeps its backticks in plain text.
public struct Narrator: Sendable {
    /// Columns available on the terminal.
    public var width: Int
    /// Whether to emit colour escape codes.
    public var color: Bool

    /// Prose is wrapped at this many columns even on a very wide terminal, to stay readable.
    public static let maximumProseWidth = 96
    /// Everything the narrator prints is indented by this.
    public static let indent = "  "

    public init(width: Int, color: Bool) {
        self.width = max(width, 40)
        self.color = color
    }

    /// A narrator for this process's standard output.
    public static var standard: Narrator {
        Narrator(width: Terminal.width, color: Terminal.isColorEnabled)
    }

    // MARK: Rendering (pure: returns lines, prints nothing)

    /// The banner that opens a lesson.
    public func banner(number: Int, title: String) -> [String] {
        let rule = paint(String(repeating: "━", count: min(width, Self.maximumProseWidth)), .cyan)
        let heading = "Lesson \(number < 10 ? "0" : "")\(number) · \(title)"
        return [rule, Self.indent + paint(heading, .bold), rule, ""]
    }

    /// A section heading, preceded by a blank line.
    public func heading(_ title: String) -> [String] {
        let lead = "── \(title) "
        let fill = max(3, min(width, Self.maximumProseWidth) - lead.count)
        return ["", paint(lead, .bold) + paint(String(repeating: "─", count: fill), .dim)]
    }

    /// Prose wrapped to the width, each paragraph (`\n\n`) separated by a blank line.
    public func prose(_ text: String, style: [Terminal.Style] = []) -> [String] {
        let columns = min(width, Self.maximumProseWidth) - Self.indent.count
        var lines: [String] = []
        for (index, paragraph) in text.split(separator: "\n\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { lines.append("") }
            for line in paragraph.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += Self.wrap(String(line), columns: columns)
            }
        }
        return highlightBackticks(lines).map { $0.isEmpty ? "" : Self.indent + paint($0, style) }
    }

    /// A Swift snippet with its Python equivalent: side by side when both fit, else one above the
    /// other. Surrounded by blank lines.
    public func codeComparison(swift: String, python: String?) -> [String] {
        [""] + codeLines(swift: swift, python: python) + [""]
    }

    private func codeLines(swift: String, python: String?) -> [String] {
        let swiftLines = swift.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let python else {
            return [Self.indent + paint("Swift", .dim)] + swiftLines.map { codeLine($0, .cyan) }
        }
        let pythonLines = python.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let left = max(swiftLines.map(\.count).max() ?? 0, "Swift".count)
        let right = max(pythonLines.map(\.count).max() ?? 0, "Python".count)
        let gutter = " │ "
        if Self.indent.count + left + gutter.count + right <= width {
            var lines = [
                Self.indent + paint(pad("Swift", left) + gutter + "Python", .dim),
                Self.indent + paint(String(repeating: "─", count: left) + "─┼─" + String(repeating: "─", count: right), .dim),
            ]
            for row in 0..<max(swiftLines.count, pythonLines.count) {
                let swiftText = row < swiftLines.count ? swiftLines[row] : ""
                let pythonText = row < pythonLines.count ? pythonLines[row] : ""
                let separator = pythonText.isEmpty ? String(gutter.dropLast()) : gutter  // no trailing space
                lines.append(Self.indent + paint(pad(swiftText, left), .cyan) + paint(separator, .dim) + paint(pythonText, .yellow))
            }
            return lines
        }
        return [Self.indent + paint("Swift", .dim)]
            + swiftLines.map { codeLine($0, .cyan) }
            + [Self.indent + paint("Python", .dim)]
            + pythonLines.map { codeLine($0, .yellow) }
    }

    /// One line of a code block behind its bar; an empty line gets the bar alone, so no line
    /// ends in a space.
    private func codeLine(_ text: String, _ style: Terminal.Style) -> String {
        text.isEmpty ? Self.indent + paint("│", .dim) : Self.indent + paint("│ ", .dim) + paint(text, style)
    }

    /// One measured result: `→ label: value`, the value in bold.
    public func resultLine(_ label: String, _ value: String) -> [String] {
        [Self.indent + paint("→ ", .green) + label + ": " + paint(value, .bold)]
    }

    /// A measured result whose value may be long (an error message): on one line when it fits,
    /// otherwise the label, then the value wrapped and indented below it, its line breaks kept.
    public func resultBlock(_ label: String, _ value: String) -> [String] {
        let columns = min(width, Self.maximumProseWidth)
        if Self.indent.count + 2 + label.count + 2 + value.count <= columns {
            return resultLine(label, value)
        }
        var lines = [Self.indent + paint("→ ", .green) + label + ":"]
        for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += Self.wrap(String(line), columns: columns - 6).map { "      " + $0 }
        }
        return lines
    }

    /// One row of a small table: the first column left-aligned, the others right-aligned (or
    /// all left-aligned when `numbers` is false), each cell padded to its width (and at least
    /// one space apart); no trailing spaces.
    public func tableRow(_ cells: [String], widths: [Int], numbers: Bool = true) -> String {
        var line = Self.indent
        for (index, (cell, width)) in zip(cells, widths).enumerated() {
            let padding = String(repeating: " ", count: max(1, width - cell.count))
            line += index == 0 || !numbers ? cell + padding : padding + cell
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// A bulleted list, each item wrapped with a hanging indent.
    public func bulletList(_ items: [String], bullet: String = "•") -> [String] {
        let columns = min(width, Self.maximumProseWidth) - Self.indent.count - 2
        var lines: [String] = []
        for item in items {
            let wrapped = highlightBackticks(Self.wrap(item, columns: columns))
            for (index, line) in wrapped.enumerated() {
                lines.append(Self.indent + (index == 0 ? paint(bullet, .green) + " " : "  ") + line)
            }
        }
        return lines
    }

    /// The closing summary of a lesson.
    public func takeawayList(_ items: [String]) -> [String] {
        heading("Key takeaways") + bulletList(items, bullet: "✔")
    }

    /// An exercise: its id and name as the course index has them, what to do, and the exact
    /// command that checks it.
    public func exerciseLines(id: String, title: String, description: String) -> [String] {
        var lines = ["", Self.indent + paint("Exercise \(id) · \(title)", .bold)]
        lines += prose(description)
        lines.append(Self.indent + paint("✎ Your turn: ", .bold, .magenta) + paint("swift run workbook check \(id)", .bold))
        return lines
    }

    /// The presenter's prompt between sections (`--step`), without a newline.
    public func promptLine(_ text: String) -> String {
        Self.indent + paint("▶ " + text, .bold, .yellow)
    }

    /// The line that points to what comes next.
    public func nextStepLines(command: String) -> [String] {
        ["", Self.indent + paint("Next: ", .bold) + paint(command, .bold, .cyan), ""]
    }

    // MARK: Helpers

    /// Splits `text` into lines of at most `columns` characters at spaces; a longer word gets a line of its own.
    /// A number and its unit ("300 ms", "4 KB") stay on the same line.
    public static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in keepingUnitsWithNumbers(text.split(separator: " ", omittingEmptySubsequences: true)) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= columns {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }

    /// Units that must not start a line of their own.
    static let units: Set<Substring> = ["ns", "µs", "ms", "s", "s,", "s.", "ms,", "ms.", "KB", "MB", "bytes", "×"]

    /// Joins each unit to the number before it, so `wrap` treats "300 ms" as one word.
    private static func keepingUnitsWithNumbers(_ words: [Substring]) -> [Substring] {
        var joined: [Substring] = []
        for word in words {
            if units.contains(word), let previous = joined.last, previous.last?.isNumber == true {
                joined[joined.count - 1] = previous + " " + word
            } else {
                joined.append(word)
            }
        }
        return joined
    }

    private func paint(_ text: String, _ styles: Terminal.Style...) -> String {
        Terminal.paint(text, styles, enabled: color)
    }

    private func paint(_ text: String, _ styles: [Terminal.Style]) -> String {
        Terminal.paint(text, styles, enabled: color)
    }

    private func pad(_ text: String, _ columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - text.count))
    }

    /// In colour, `code` loses its backticks and turns cyan; plain text keeps the backticks.
    private func highlightBackticks(_ lines: [String]) -> [String] {
        guard color else { return lines }
        var insideCode = false
        return lines.map { line in
            var output = ""
            var run = ""
            for character in line {
                if character == "`" {
                    output += insideCode ? paint(run, .cyan) : run
                    run = ""
                    insideCode.toggle()
                } else {
                    run.append(character)
                }
            }
            return output + (insideCode ? paint(run, .cyan) : run)
        }
    }
}

// MARK: - Script-style free functions, printing through the lesson's presenter

/// Prints `lines`, one per line, if the lesson is being shown at this point (see `Presenter`).
/// Never two blank lines in a row, however the helpers follow one another.
func emit(_ lines: [String]) {
    Presenter.current.emit(lines)
}

/// Ends the lesson now, quietly and successfully: the presenter has said why (`q` typed at a
/// pause, or the one section asked for is over). The lesson's servers are stopped first.
func endLessonHere() -> Never {
    Terminal.flush()
    EarlyEnd.stopEverything()
    exit(0)
}

/// Opens a lesson with the number and title from its `LessonInfo`.
public func lesson(_ info: LessonInfo) {
    if Presenter.current.info.number != info.number {
        // The options were not parsed with `parseOrExit` (a test, a quick experiment): show all.
        Presenter.current = Presenter(info: info, mode: .continuous, readLine: { nil }, write: Presenter.writeToStandardOutput)
    }
    Presenter.current.startLesson()
}

/// Starts the next part of the lesson, numbered: `section("The picture")` prints
/// "── 3. The picture ───". The title must be the next one in the lesson's `LessonInfo.sections`.
public func section(_ title: String) {
    if Presenter.current.startSection(title) == .stop { endLessonHere() }
}

/// Explains something, wrapped to the terminal. Use `\n\n` between paragraphs.
public func say(_ text: String) {
    emit(Narrator.standard.prose(text))
}

/// A dimmed aside: a detail the reader may skip.
public func note(_ text: String) {
    emit(Narrator.standard.prose(text, style: [.dim]))
}

/// Shows a Swift snippet of the lesson's own source with its Python equivalent beside it (or
/// below, on a narrow terminal). The snippet is read from the lesson's folder, between the
/// lines `// snippet: name` and `// snippet end` (see `SourceSnippets`), so what is shown is
/// the code that runs.
public func code(snippet name: String, python: String? = nil, file: String = #filePath) {
    emit(Narrator.standard.codeComparison(swift: SourceSnippets.text(of: name, besideFile: file), python: python))
}

/// Shows several snippets of the lesson's source as one block (a blank line between them),
/// with their Python equivalent: two ways of doing the same thing, side by side with Python's.
public func code(snippets names: [String], python: String? = nil, file: String = #filePath) {
    let swift = names.map { SourceSnippets.text(of: $0, besideFile: file) }.joined(separator: "\n\n")
    emit(Narrator.standard.codeComparison(swift: swift, python: python))
}

/// Shows a snippet of LessonSupport's own source, the code every lesson shares (`fetch`, for
/// one), with its Python equivalent. Marked like a lesson's snippets.
public func code(sharedSnippet name: String, python: String? = nil) {
    emit(Narrator.standard.codeComparison(swift: SourceSnippets.text(of: name, besideFile: #filePath), python: python))
}

/// Reports a measured value.
public func result(_ label: String, _ value: String) {
    emit(Narrator.standard.resultLine(label, value))
}

/// Reports a measured value that may be too long for one line, such as an error message.
public func resultBlock(_ label: String, _ value: String) {
    emit(Narrator.standard.resultBlock(label, value))
}

/// Prints one row of a small table (see `Narrator.tableRow`): numbers right-aligned, or every
/// column left-aligned with `numbers: false`.
public func tableRow(_ cells: [String], widths: [Int], numbers: Bool = true) {
    emit([Narrator.standard.tableRow(cells, widths: widths, numbers: numbers)])
}

/// Prints lines as they are (already indented and painted), e.g. a table the lesson lays out
/// itself. An empty string is a blank line.
public func show(_ lines: String...) {
    emit(lines)
}

/// Prints lines as they are (array form of `show(_:)`).
public func show(lines: [String]) {
    emit(lines)
}

/// A short bulleted list.
public func bullets(_ items: [String]) {
    emit(Narrator.standard.bulletList(items))
}

/// The lesson's key points, at the end. With `--step` the lesson pauses before them; with
/// `--section N` the lesson has ended before them.
public func takeaways(_ items: [String]) {
    if Presenter.current.startClosing() == .stop { endLessonHere() }
    emit(Narrator.standard.takeawayList(items))
}

/// An exercise of the lesson, under its id and the title the course index gives it
/// (Sources/Course/WorkbookCourse/CourseExercises.swift), with the exact command that checks it.
/// An id the index does not know stops the lesson: it would announce an exercise that does not
/// exist.
public func exercise(id: String, description: String) {
    guard let indexed = Course.exercise(id) else {
        preconditionFailure("the lesson announces exercise \(id), which the course index does not have")
    }
    emit(Narrator.standard.exerciseLines(id: id, title: indexed.title, description: description))
}

/// Points to the next lesson, e.g. `nextStep(command: "swift run lesson02")`.
public func nextStep(command: String) {
    emit(Narrator.standard.nextStepLines(command: command))
}
