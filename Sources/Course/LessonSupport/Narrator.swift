import ConcurrentFutures  // LockedValue

/// Helpers that let a lesson's `main.swift` read top to bottom like a script:
///
/// ```swift
/// lesson(number: 1, title: "Why pools")
/// section("One page after another")
/// say("Each download waits 300 ms for the server. Ten of them wait ten times as long.")
/// code(swift: "for url in urls { try fetch(url) }", python: "for url in urls:\n    fetch(url)")
/// result("wall time", elapsed.readable)
/// takeaways(["A pool overlaps waiting."])
/// nextStep(command: "swift run lesson02")
/// ```
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

    /// One row of a small table: the first column left-aligned, the others right-aligned, each
    /// cell padded to its width (and at least one space apart); no trailing spaces.
    public func tableRow(_ cells: [String], widths: [Int]) -> String {
        var line = Self.indent
        for (index, (cell, width)) in zip(cells, widths).enumerated() {
            let padding = String(repeating: " ", count: max(1, width - cell.count))
            line += index == 0 ? cell + padding : padding + cell
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

    /// The exercise line: what to do and the exact command that checks it.
    public func exerciseLines(command: String, description: String?) -> [String] {
        var lines = [""]
        if let description { lines += prose("Exercise: " + description) }
        lines.append(Self.indent + paint("✎ Your turn: ", .bold, .magenta) + paint(command, .bold))
        return lines
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

// MARK: - Script-style free functions, printing to standard output

/// Prints `lines`, one per line.
/// Never two blank lines in a row, however the helpers follow one another.
func emit(_ lines: [String]) {
    previousLineWasBlank.withLock { previousWasBlank in
        for line in lines {
            if line.isEmpty && previousWasBlank { continue }
            print(line)
            previousWasBlank = line.isEmpty
        }
    }
}

/// Whether the last line `emit` printed was empty.
private let previousLineWasBlank = LockedValue(false)

/// Opens a lesson with its number and title.
public func lesson(number: Int, title: String) {
    emit(Narrator.standard.banner(number: number, title: title))
}

/// Opens a lesson with the number and title from its `LessonInfo`.
public func lesson(_ info: LessonInfo) {
    lesson(number: info.number, title: info.title)
}

/// Starts a new part of the lesson.
public func section(_ title: String) {
    emit(Narrator.standard.heading(title))
}

/// Explains something, wrapped to the terminal. Use `\n\n` between paragraphs.
public func say(_ text: String) {
    emit(Narrator.standard.prose(text))
}

/// A dimmed aside: a detail the reader may skip.
public func note(_ text: String) {
    emit(Narrator.standard.prose(text, style: [.dim]))
}

/// Shows Swift code with its Python equivalent beside it (or below, on a narrow terminal).
public func code(swift: String, python: String? = nil) {
    emit(Narrator.standard.codeComparison(swift: swift, python: python))
}

/// Reports a measured value.
public func result(_ label: String, _ value: String) {
    emit(Narrator.standard.resultLine(label, value))
}

/// Reports a measured value that may be too long for one line, such as an error message.
public func resultBlock(_ label: String, _ value: String) {
    emit(Narrator.standard.resultBlock(label, value))
}

/// Prints one row of a small table (see `Narrator.tableRow`).
public func tableRow(_ cells: [String], widths: [Int]) {
    emit([Narrator.standard.tableRow(cells, widths: widths)])
}

/// A short bulleted list.
public func bullets(_ items: [String]) {
    emit(Narrator.standard.bulletList(items))
}

/// The lesson's key points, at the end.
public func takeaways(_ items: [String]) {
    emit(Narrator.standard.takeawayList(items))
}

/// The exact command for the lesson's exercise.
public func exercise(command: String, description: String? = nil) {
    emit(Narrator.standard.exerciseLines(command: command, description: description))
}

/// Points to the next lesson, e.g. `nextStep(command: "swift run lesson02")`.
public func nextStep(command: String) {
    emit(Narrator.standard.nextStepLines(command: command))
}
