import ConcurrentFutures
import Foundation
import SystemPlatform
import Testing

@testable import LessonSupport

/// A lesson of three sections, as a script drives the presenter: the banner, an introduction,
/// each section with one line of its own, then the closing. Returns what was printed and where
/// the lesson stopped ("the end" if it ran to its closing lines).
private func present(_ mode: Presenter.Mode, typing answers: [String?]) -> (output: String, stoppedAt: String) {
    let input = LockedValue(answers[...])
    let output = LockedValue("")
    let info = LessonInfo(number: 7, title: "Exceptions", summary: "", sections: ["Stored", "Looked at", "Lost"])
    let presenter = Presenter(
        info: info, mode: mode, narrator: Narrator(width: 80, color: false),
        readLine: { input.withLock { $0.popFirst() ?? nil } },
        write: { text in output.withLock { $0 += text } })
    presenter.startLesson()
    presenter.emit(["  the introduction"])
    for title in info.sections {
        if presenter.startSection(title) == .stop { return (output.withLock { $0 }, title) }
        presenter.emit(["  inside \(title)"])
    }
    if presenter.startClosing() == .stop { return (output.withLock { $0 }, "the closing") }
    presenter.emit(["  the takeaways"])
    return (output.withLock { $0 }, "the end")
}

@Suite("Presenter: --step and --section")
struct PresenterTests {
    @Test("without options, everything is shown and nothing is asked")
    func continuous() {
        let (output, stoppedAt) = present(.continuous, typing: [])
        #expect(stoppedAt == "the end")
        for line in ["Lesson 07 · Exceptions", "the introduction", "── 1. Stored", "── 2. Looked at", "── 3. Lost", "the takeaways"] {
            #expect(output.contains(line))
        }
        #expect(!output.contains("▶"))
    }

    @Test("--step: a pause after each section; Enter goes on, q stops and says where")
    func stepThenQuit() {
        let (output, stoppedAt) = present(.stepping, typing: ["", "q"])
        #expect(stoppedAt == "Lost")
        #expect(output.contains("inside Stored") && output.contains("inside Looked at"))
        #expect(!output.contains("inside Lost") && !output.contains("── 3. Lost"))
        #expect(output.components(separatedBy: "▶ Enter:").count - 1 == 2, "one prompt after each section shown")
        #expect(output.contains("▶ Enter: 2. Looked at   ·   q, Enter: stop here"))
        #expect(output.contains("Stopped after section 2 of 3."))
        #expect(output.contains("Section 3 on its own: swift run lesson07 --section 3"))
    }

    @Test("--step: the last pause comes before the key takeaways")
    func stepToTheEnd() {
        let (output, stoppedAt) = present(.stepping, typing: ["", "", ""])
        #expect(stoppedAt == "the end")
        #expect(output.contains("▶ Enter: Key takeaways"))
        #expect(output.contains("the takeaways"))
        let (quitAtTheEnd, where_) = present(.stepping, typing: ["", "", "Q "])
        #expect(where_ == "the closing")
        #expect(quitAtTheEnd.contains("Stopped after section 3 of 3."))
        #expect(!quitAtTheEnd.contains("on its own"), "there is no section after the last")
    }

    @Test("--step with stdin closed: one prompt, then the rest without stopping")
    func stepWithoutInput() {
        let (output, stoppedAt) = present(.stepping, typing: [])
        #expect(stoppedAt == "the end")
        #expect(output.components(separatedBy: "▶").count - 1 == 1)
        #expect(output.contains("inside Lost") && output.contains("the takeaways"))
    }

    @Test("--section 2: the banner, section 2 and where to go next; the rest unseen")
    func singleSection() {
        let (output, stoppedAt) = present(.single(2), typing: [])
        #expect(stoppedAt == "Lost", "the lesson ends when section 3 would begin")
        #expect(output.contains("Lesson 07 · Exceptions"))
        #expect(output.contains("Section 2 of 3 only. Section 1 runs first, unseen"))
        #expect(output.contains("── 2. Looked at") && output.contains("inside Looked at"))
        for hidden in ["the introduction", "Stored", "Lost", "the takeaways"] {
            #expect(!output.contains(hidden), "\(hidden) is shown")
        }
        #expect(output.contains("That was section 2 of 3. Next: swift run lesson07 --section 3."))
    }

    @Test("--section 3, the last: it ends before the closing")
    func lastSection() {
        let (output, stoppedAt) = present(.single(3), typing: [])
        #expect(stoppedAt == "the closing")
        #expect(output.contains("inside Lost") && !output.contains("the takeaways"))
        #expect(output.contains("That was section 3 of 3. The whole lesson: swift run lesson07"))
        #expect(output.contains("Sections 1–2 run first, unseen"))
    }

    @Test("a lesson's lines go through the presenter, so a hidden section prints nothing")
    func progressBarIsGated() {
        let output = LockedValue("")
        let presenter = Presenter(
            info: LessonInfo(number: 1, title: "t", summary: "", sections: ["a", "b"]), mode: .single(2),
            narrator: Narrator(width: 80, color: false), readLine: { nil }, write: { text in output.withLock { $0 += text } })
        presenter.startLesson()
        _ = presenter.startSection("a")
        presenter.emitRaw("\r  a progress bar")
        #expect(!output.withLock { $0 }.contains("progress"))
        _ = presenter.startSection("b")
        presenter.emitRaw("\r  a progress bar")
        #expect(output.withLock { $0 }.contains("progress"))
    }

    @Test("options: --step, --section N, and their mistakes", arguments: [
        (["--step"], LessonOptions.ParseOutcome.run(LessonOptions(presentation: .stepping))),
        (["--section", "2"], .run(LessonOptions(presentation: .single(2)))),
        (["--section=3", "--fast"], .run(LessonOptions(fast: true, presentation: .single(3)))),
        (["--section", "4"], .invalid("no section '4': lesson07 has sections 1 to 3 (see --help)")),
        (["--section", "0"], .invalid("no section '0': lesson07 has sections 1 to 3 (see --help)")),
        (["--section", "two"], .invalid("no section 'two': lesson07 has sections 1 to 3 (see --help)")),
        (["--section"], .invalid("option '--section' needs a value (N)")),
        (["--step", "--section", "1"], .invalid("--step and --section do not go together")),
    ])
    func options(arguments: [String], outcome: LessonOptions.ParseOutcome) {
        let info = LessonInfo(number: 7, title: "Exceptions", summary: "", sections: ["Stored", "Looked at", "Lost"])
        #expect(LessonOptions.parse(arguments, lesson: info) == outcome)
    }

    @Test("--help documents --step and --section and lists the sections")
    func help() {
        let info = LessonInfo(number: 7, title: "Exceptions", summary: "", sections: ["Stored", "Looked at", "Lost"])
        let text = LessonOptions.usage(for: info)
        #expect(text.contains("--step") && text.contains("q then Enter stops"))
        #expect(text.contains("--section N"))
        #expect(text.contains("Sections (for --section N):\n  1. Stored\n  2. Looked at\n  3. Lost\n"))
        #expect(LessonOptions.synopsis(for: info).contains("[--step | --section N]"))
    }
}

/// The folder the tests were built in, where `swift build` also puts the lessons.
private let products = productsDirectory(containing: #dsohandle)

/// A built lesson, if there is one next to the tests (`swift test` builds every product).
private func lessonBinary(_ name: String) -> String? {
    guard let products, FileManager.default.isExecutableFile(atPath: products + "/" + name) else { return nil }
    return products + "/" + name
}

/// Runs a lesson in fast mode, without colour, with `input` on its standard input.
private func runLesson(_ path: String, _ arguments: [String], input: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["--fast"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment["COLUMNS"] = "100"
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}

@Suite("A real lesson in presenter mode (lesson07, stdin piped)")
struct LessonProcessTests {
    @Test("the exercise is announced under the title of the course index", .enabled(if: lessonBinary("lesson07") != nil))
    func exerciseTitleFromTheIndex() throws {
        let (status, output) = try runLesson(lessonBinary("lesson07")!, ["--fast"], input: "")
        #expect(status == 0, "\(output)")
        let title = try #require(courseIndex.first { $0.id == "07a" }?.title)
        #expect(output.contains("Exercise 07a · \(title)"), "\(output)")
    }

    @Test("--step with Enter, Enter, q: sections 1 to 3, then it stops", .enabled(if: lessonBinary("lesson07") != nil))
    func step() throws {
        let (status, output) = try runLesson(lessonBinary("lesson07")!, ["--step"], input: "\n\nq\n")
        #expect(status == 0, "\(output)")
        #expect(output.contains("── 1. The error is stored, and result() throws it"))
        #expect(output.contains("── 3. Errors in map: the loop stops at the failing item"))
        #expect(!output.contains("── 4."), "\(output)")
        #expect(output.contains("Stopped after section 3 of 5."))
        #expect(!output.contains("Key takeaways"))
    }

    @Test("--section 4: that section only", .enabled(if: lessonBinary("lesson07") != nil))
    func section() throws {
        let (status, output) = try runLesson(lessonBinary("lesson07")!, ["--section", "4"], input: "")
        #expect(status == 0, "\(output)")
        #expect(output.contains("── 4. Errors in an asCompleted loop: handle each, keep going"))
        for other in ["── 1.", "── 3.", "── 5.", "Key takeaways"] { #expect(!output.contains(other)) }
        #expect(output.contains("That was section 4 of 5. Next: swift run lesson07 --section 5."))
    }

    @Test("a section that does not exist: one line and exit status 2", .enabled(if: lessonBinary("lesson07") != nil))
    func badSection() throws {
        let (status, output) = try runLesson(lessonBinary("lesson07")!, ["--section", "9"], input: "")
        #expect(status == 2)
        #expect(output.hasPrefix("lesson07: no section '9': lesson07 has sections 1 to 5 (see --help)\n"))
    }
}
