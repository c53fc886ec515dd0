import ConcurrentFutures
import Testing

@testable import LessonSupport

@Suite("Narrator, Terminal and ProgressBar")
struct NarratorTests {
    let plain = Narrator(width: 80, color: false)

    @Test("prose is wrapped within the width, paragraphs kept apart")
    func prose() {
        let text = String(repeating: "word ", count: 60) + "\n\nsecond paragraph"
        let lines = plain.prose(text)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.allSatisfy { $0.isEmpty || $0.hasPrefix("  ") })
        #expect(lines.contains(""))
        #expect(lines.last == "  second paragraph")
        #expect(Narrator.wrap("a bb ccc dddd", columns: 6) == ["a bb", "ccc", "dddd"])
        #expect(Narrator.wrap("unbreakablewordislong", columns: 5) == ["unbreakablewordislong"])
        #expect(Narrator.wrap("it took 300 ms here", columns: 10) == ["it took", "300 ms", "here"])
    }

    @Test("Swift and Python side by side when they fit, stacked otherwise")
    func codeComparison() {
        let swift = "let x = try pool.submit { 1 }"
        let python = "x = pool.submit(lambda: 1)"
        let wide = plain.codeComparison(swift: swift, python: python)
        #expect(wide.contains { $0.contains(swift) && $0.contains(python) && $0.contains("│") })
        let narrow = Narrator(width: 40, color: false).codeComparison(swift: swift, python: python)
        #expect(!narrow.contains { $0.contains(swift) && $0.contains(python) })
        #expect(narrow.contains("  │ " + swift))
        #expect(narrow.contains("  │ " + python))
        #expect(narrow.firstIndex(of: "  │ " + swift)! < narrow.firstIndex(of: "  │ " + python)!)
    }

    @Test("colour only when asked; backticks become colour")
    func colour() {
        let coloured = Narrator(width: 80, color: true)
        #expect(!plain.banner(number: 1, title: "Why pools").joined().contains("\u{1B}"))
        #expect(plain.banner(number: 1, title: "Why pools").contains("  Lesson 01 · Why pools"))
        #expect(coloured.banner(number: 1, title: "Why pools").joined().contains("\u{1B}["))
        #expect(plain.prose("call `submit` now") == ["  call `submit` now"])
        #expect(coloured.prose("call `submit` now").map(Terminal.stripEscapes) == ["  call submit now"])
    }

    @Test("results, takeaways and the closing lines")
    func closing() {
        #expect(plain.resultLine("wall time", "3.01 s") == ["  → wall time: 3.01 s"])
        #expect(plain.resultBlock("wall time", "3.01 s") == ["  → wall time: 3.01 s"], "short: one line")
        let long = String(repeating: "word ", count: 30) + "end\nsecond line"
        let block = plain.resultBlock("error", long)
        #expect(block.first == "  → error:")
        #expect(block.dropFirst().allSatisfy { $0.hasPrefix("      ") && $0.count <= plain.width })
        #expect(block.last == "      second line", "line breaks in the value are kept")
        #expect(plain.tableRow(["name", "1.5 s", "2x"], widths: [8, 7, 4]) == "  name      1.5 s  2x")
        #expect(plain.tableRow(["a", ""], widths: [3, 5]) == "  a", "no trailing spaces")
        #expect(plain.tableRow(["name", "1.5 s", "2x"], widths: [8, 7, 4], numbers: false) == "  name    1.5 s  2x")
        let takeaways = plain.takeawayList(["one", "two"])
        #expect(takeaways.contains { $0.contains("Key takeaways") })
        #expect(takeaways.suffix(2) == ["  ✔ one", "  ✔ two"])
        let exercise = plain.exerciseLines(id: "02a", title: "Two pages at once", description: "Fetch two pages.")
        #expect(exercise == ["", "  Exercise 02a · Two pages at once", "  Fetch two pages.", "  ✎ Your turn: swift run workbook check 02a"])
        #expect(plain.nextStepLines(command: "swift run lesson02").contains("  Next: swift run lesson02"))
    }

    @Test("colour rules: a terminal, NO_COLOR unset or empty, TERM not dumb")
    func colourDecision() {
        #expect(Terminal.colorDecision(isTTY: true, environment: [:]))
        #expect(Terminal.colorDecision(isTTY: true, environment: ["NO_COLOR": ""]))
        #expect(!Terminal.colorDecision(isTTY: true, environment: ["NO_COLOR": "1"]))
        #expect(!Terminal.colorDecision(isTTY: false, environment: [:]))
        #expect(!Terminal.colorDecision(isTTY: true, environment: ["TERM": "dumb"]))
    }

    @Test("width: COLUMNS first, then the terminal, then 80")
    func widthDecision() {
        #expect(Terminal.widthDecision(environment: ["COLUMNS": "120"], terminalColumns: 90) == 120)
        #expect(Terminal.widthDecision(environment: ["COLUMNS": "wide"], terminalColumns: 90) == 90)
        #expect(Terminal.widthDecision(environment: [:], terminalColumns: nil) == 80)
        #expect(Terminal.widthDecision(environment: ["COLUMNS": "0"], terminalColumns: nil) == 80)
    }

    @Test("escape codes are stripped and not counted")
    func escapes() {
        let painted = Terminal.paint("hello", .bold, .red, enabled: true)
        #expect(painted == "\u{1B}[1;31mhello\u{1B}[0m")
        #expect(Terminal.stripEscapes(painted) == "hello")
        #expect(Terminal.visibleWidth(painted) == 5)
        #expect(Terminal.paint("hello", .bold, enabled: false) == "hello")
    }

    @Test("a progress bar advanced from many threads counts every step and ends once")
    func progressFromThreads() {
        let written = LockedValue<[String]>([])
        let bar = ProgressBar(total: 200, title: "work", width: 80, interactive: false, color: false) { text in
            written.withLock { $0.append(text) }
        }
        runOnThreads(200, threads: 8) { _ in bar.advance() }
        #expect(bar.completed == 200)
        let lines = written.withLock { $0 }
        #expect(lines.count == 10)  // one line per 10 %, not one per step
        #expect(lines.last == bar.render(completed: 200) + "\n")
        bar.advance()
        #expect(bar.completed == 200)
        #expect(written.withLock { $0.count } == 10)
    }

    @Test("an interactive bar redraws in place and finishes with a new line")
    func interactiveBar() {
        let written = LockedValue<[String]>([])
        let bar = ProgressBar(total: 3, width: 60, interactive: true, color: false) { text in written.withLock { $0.append(text) } }
        bar.advance()
        bar.advance(by: 2)
        let output = written.withLock { $0 }
        #expect(output.allSatisfy { $0.hasPrefix("\r") })
        #expect(output.last?.hasSuffix("\n") == true)
        #expect(!output.joined().contains("\u{1B}"))
    }

    @Test("the bar's text shows the fraction and the percentage")
    func barText() {
        let bar = ProgressBar(total: 10, title: "pages", width: 100, interactive: false, color: false) { _ in }
        #expect(bar.render(completed: 5) == "  pages [" + String(repeating: "█", count: 20) + String(repeating: "░", count: 20) + "]  5/10  50%")
        #expect(bar.render(completed: 10).hasSuffix("10/10 100%"))
    }
}
