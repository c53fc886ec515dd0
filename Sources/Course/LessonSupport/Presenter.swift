import ConcurrentFutures  // LockedValue

/// Presenter mode: a teacher at a projector shows a lesson one section at a time.
///
/// - `--step`: the lesson pauses after each section. Enter goes on; `q` (then Enter) stops
///   the lesson there. Without input (a closed stdin) it runs to the end.
/// - `--section N`: the lesson shows section N only. The sections before it still run,
///   unseen, because a section may build on what an earlier one did; the lesson ends with
///   section N.
///
/// Every line a lesson prints goes through one presenter (`Presenter.current`), which decides
/// whether it is shown. The lesson's script calls `section(_:)` at each section and
/// `takeaways(_:)` at the end; those are the moments the presenter pauses or stops:
///
/// ```swift
/// let presenter = Presenter(info: info, mode: .stepping, readLine: { readLine() }, write: { print($0) })
/// presenter.startLesson()                              // the banner
/// if presenter.startSection("The picture") == .stop { exit(0) }
/// presenter.emit(["  some output"])
/// ```
///
/// Python has no counterpart; it is the course's own tool for the classroom.
public final class Presenter: Sendable {
    /// How the lesson is presented.
    public enum Mode: Sendable, Equatable {
        /// Everything, without stopping (the default).
        case continuous
        /// A pause after each section (`--step`).
        case stepping
        /// Only section N (`--section N`), numbered from 1.
        case single(Int)
    }

    /// Whether the lesson goes on after a section starts or the closing begins.
    public enum Continuation: Sendable, Equatable {
        case proceed
        /// The lesson ends here: the learner typed `q`, or the one section asked for is over.
        /// The presenter has already said so.
        case stop
    }

    public let info: LessonInfo
    public let mode: Mode
    private let narrator: Narrator
    private let readLine: @Sendable () -> String?
    private let write: @Sendable (String) -> Void
    private let state = LockedValue(State())

    private struct State {
        /// The section being shown, 1-based; 0 before the first one.
        var section = 0
        /// Whether lines are shown now.
        var visible = true
        /// Whether the last line shown was empty (two blank lines in a row are one).
        var previousLineWasBlank = false
        /// Set once stdin has ended: nobody is there to press Enter, so no more pauses.
        var inputEnded = false
    }

    /// - Parameters:
    ///   - readLine: one line of the learner's input, without its newline; `nil` at the end.
    ///   - write: writes text exactly as given (lines carry their own newline).
    public init(
        info: LessonInfo, mode: Mode, narrator: Narrator = .standard,
        readLine: @escaping @Sendable () -> String?, write: @escaping @Sendable (String) -> Void
    ) {
        self.info = info
        self.mode = mode
        self.narrator = narrator
        self.readLine = readLine
        self.write = write
    }

    /// The presenter of this process. Until a lesson parses its options it shows everything.
    public static var current: Presenter {
        get { installed.withLock { $0 } }
        set { installed.withLock { $0 = newValue } }
    }

    private static let installed = LockedValue(
        Presenter(
            info: LessonInfo(number: 0, title: "", summary: ""), mode: .continuous,
            readLine: { Swift.readLine() }, write: Presenter.writeToStandardOutput))

    /// Writes straight to standard output and flushes, so a line without a newline (a prompt,
    /// a progress bar) shows at once.
    @Sendable public static func writeToStandardOutput(_ text: String) {
        Swift.print(text, terminator: "")
        Terminal.flush()
    }

    // MARK: Output

    /// Whether lines are shown right now (outside the chosen section they are not).
    public var isShowing: Bool { state.withLock { $0.visible } }

    /// Shows `lines` if the lesson is being shown at this point; never two blank lines in a row.
    public func emit(_ lines: [String]) {
        state.withLock { state in
            guard state.visible else { return }
            for line in lines {
                if line.isEmpty && state.previousLineWasBlank { continue }
                write(line + "\n")
                state.previousLineWasBlank = line.isEmpty
            }
        }
    }

    /// Writes `text` as it is (no newline added), if the lesson is being shown: for a progress
    /// bar that redraws its line.
    public func emitRaw(_ text: String) {
        state.withLock { state in
            guard state.visible else { return }
            write(text)
            state.previousLineWasBlank = text.hasSuffix("\n\n")
        }
    }

    // MARK: The lesson's moments

    /// The banner, and with `--section N` a line that says what is about to be shown.
    public func startLesson() {
        emit(narrator.banner(number: info.number, title: info.title))
        guard case .single(let number) = mode else { return }
        var note = "Section \(number) of \(info.sections.count) only."
        if number > 1 {
            let earlier = number == 2 ? "Section 1 runs" : "Sections 1–\(number - 1) run"
            note += " \(earlier) first, unseen: a section may build on what came before."
        }
        emit(narrator.prose(note, style: [.dim]))
        state.withLock { $0.visible = false }
    }

    /// Section `title` begins: pauses (`--step`), or shows it, hides it or ends the lesson
    /// (`--section N`), then prints its numbered heading. The title must be the next one in
    /// `info.sections` (when the lesson declares its sections), so `--section N` and the
    /// numbers on screen always agree.
    public func startSection(_ title: String) -> Continuation {
        let number = state.withLock { state -> Int in
            state.section += 1
            return state.section
        }
        if !info.sections.isEmpty {
            precondition(
                number <= info.sections.count && info.sections[number - 1] == title,
                "\(info.command): section \(number) is \"\(title)\", but LessonInfo.sections "
                    + (number <= info.sections.count ? "says \"\(info.sections[number - 1])\"" : "has only \(info.sections.count)"))
        }
        switch mode {
        case .continuous:
            break
        case .stepping:
            if number > 1, pause(before: "\(number). \(title)") == .stop { return .stop }
        case .single(let chosen):
            if number == chosen + 1 {
                endSingleSection(chosen)
                return .stop
            }
            state.withLock { $0.visible = number == chosen }
        }
        emit(narrator.heading("\(number). \(title)"))
        return .proceed
    }

    /// The closing (key takeaways, exercises, what next) is about to begin: pauses
    /// (`--step`), or ends the lesson after its one section (`--section N`). Checks that every
    /// declared section was shown.
    public func startClosing() -> Continuation {
        let shown = state.withLock { $0.section }
        precondition(
            info.sections.isEmpty || shown == info.sections.count,
            "\(info.command): LessonInfo.sections lists \(info.sections.count) sections, the lesson showed \(shown)")
        switch mode {
        case .continuous:
            return .proceed
        case .stepping:
            return pause(before: "Key takeaways")
        case .single(let chosen):
            endSingleSection(chosen)
            return .stop
        }
    }

    // MARK: Pausing and stopping

    /// The prompt after a section. Returns `.stop` if the learner typed q.
    private func pause(before next: String) -> Continuation {
        let (done, inputEnded) = state.withLock { ($0.section - (next == "Key takeaways" ? 0 : 1), $0.inputEnded) }
        guard !inputEnded else { return .proceed }
        emit([""])
        emitRaw(narrator.promptLine("Enter: \(next)   ·   q, Enter: stop here") + " ")
        guard let answer = readLine() else {
            // Nobody at the keyboard (stdin closed): show the rest without pausing.
            state.withLock { $0.inputEnded = true }
            emitRaw("\n")
            return .proceed
        }
        if ["q", "quit", "exit"].contains(answer.trimmingSpaces().lowercased()) {
            let total = info.sections.isEmpty ? "" : " of \(info.sections.count)"
            var lines = narrator.prose("Stopped after section \(done)\(total).", style: [.dim])
            if !info.sections.isEmpty && done < info.sections.count {
                lines += narrator.prose("Section \(done + 1) on its own: swift run \(info.command) --section \(done + 1)", style: [.dim])
            }
            emit([""] + lines + [""])
            return .stop
        }
        return .proceed
    }

    /// The last lines of `--section N`: where to go from here.
    private func endSingleSection(_ chosen: Int) {
        state.withLock { $0.visible = true }
        let count = info.sections.count
        var text = "That was section \(chosen) of \(count)."
        if chosen < count { text += " Next: swift run \(info.command) --section \(chosen + 1)." }
        text += " The whole lesson: swift run \(info.command)"
        emit([""] + narrator.prose(text, style: [.dim]) + [""])
    }
}
