import Foundation
import SystemPlatform
import WorkbookCourse

/// One run of the tool: the workspace, the learner's progress, how to print.
struct Session {
    let workspace: Workspace
    var store: ProgressStore
    let style: TextStyle
    /// Sends each check's report to the teacher's live room, if the learner joined one.
    var room: ReportSender?

    // MARK: Where you are

    func printStatus() {
        let done = store.doneCount
        let total = Course.exercises.count
        print(style.bold("Thread pools and futures: the workbook"))
        print("  " + progressBar(done: done, total: total, style: style) + " exercises done")
        print("")
        if done == total {
            print(style.green("Every exercise is done. Well done!"))
            print("Compare your answers with the solutions (`swift run workbook solution ID`), or send your")
            print("teacher your report: `swift run workbook report --json --output me.json`.")
            return
        }
        let exercise = store.current
        let status = store.status(of: exercise)
        let record = store.state[exercise.id]
        let lesson = Course.lesson(exercise.lesson)
        print("Current exercise: \(style.bold("\(exercise.id) \(exercise.title)"))   "
            + style.dim("(lesson \(twoDigitNumber(exercise.lesson)): \(lesson?.title ?? ""))"))
        print("  \(exercise.exercisePath)")
        var line = "  " + status.label(style)
        if record.attempts > 0 { line += ", \(record.attempts) attempt\(record.attempts == 1 ? "" : "s")" }
        if record.hintsShown > 0 { line += ", \(record.hintsShown) hint\(record.hintsShown == 1 ? "" : "s") so far" }
        if status == .failing, let failure = record.lastFailure { line += "; last problem: \(failure)" }
        print(line)
        print(style.wrap(exercise.task, indent: "  ", firstIndent: "  "))
        print("")
        print("What to do next:")
        if status == .notStarted {
            print("  1. " + style.cyan("swift run \(lesson?.executable ?? "lesson01")") + "        see the lesson, if you have not yet")
            print("  2. open \(exercise.exercisePath),")
            print("     read the instructions at the top, replace `todo(...)` with your code")
            print("  3. " + style.cyan("swift run workbook check") + "       (or " + style.cyan("swift run workbook watch")
                + ": checks on every save)")
        } else if status == .done, let next = store.next(after: exercise) {
            print("  it passes: compare with " + style.cyan("swift run workbook solution") + ", then "
                + style.cyan("swift run workbook next") + style.dim("   (\(next.id) \(next.title))"))
        } else {
            print("  edit the file, then " + style.cyan("swift run workbook check") + " (or " + style.cyan("watch") + ")")
        }
        print("  Stuck? " + style.cyan("swift run workbook hint") + "     All commands: " + style.cyan("swift run workbook help"))
    }

    func printList() {
        let done = store.doneCount
        print(style.bold("Thread pools and futures: \(done) of \(Course.exercises.count) exercises done"))
        print("  " + progressBar(done: done, total: Course.exercises.count, style: style))
        let current = store.current
        for lesson in Course.lessons {
            let exercises = Course.exercises(ofLesson: lesson.number)
            print("")
            print(style.bold("lesson \(twoDigitNumber(lesson.number))  \(lesson.title)") + style.dim("   swift run \(lesson.executable)"))
            if exercises.isEmpty { print(style.dim("     (no exercise: the lesson is the introduction)")) }
            for exercise in exercises {
                let status = store.status(of: exercise)
                let record = store.state[exercise.id]
                var detail = status.label(style)
                if status != .notStarted && record.attempts > 0 {
                    detail += style.dim(" (\(record.attempts) attempt\(record.attempts == 1 ? "" : "s"))")
                }
                let pointer = exercise == current ? style.cyan("→") : " "
                let mark = switch status {
                case .done: style.green(status.mark)
                case .failing: style.red(status.mark)
                case .started: style.yellow(status.mark)
                case .notStarted: style.dim(status.mark)
                }
                print(" \(pointer) \(mark) \(exercise.id)  " + pad(exercise.title, 46) + detail)
            }
        }
        print("")
        print(style.dim("→ the current exercise.  ✓ done  ✗ failing  ~ changed since its last check  · not started"))
    }

    // MARK: Checking

    /// Checks `exercise` and prints the feedback; with `timeline`, then the timeline of the
    /// check's main scenario (TimelineCheck.swift).
    mutating func check(_ exercise: Exercise, timeline: Bool = false) throws -> Int32 {
        let lesson = Course.lesson(exercise.lesson)
        print(style.bold("\(exercise.id) \(exercise.title)") + style.dim("   lesson \(twoDigitNumber(exercise.lesson)): \(lesson?.title ?? "")"))
        print(style.dim("   \(exercise.exercisePath)"))
        let timelinePath = timeline ? TimelineCheck.temporaryPath(exercise, "yours") : nil
        defer { if let timelinePath { try? FileManager.default.removeItem(atPath: timelinePath) } }
        let outcome = try runCheck(exercise, timelinePath: timelinePath)
        print(render(outcome, for: exercise))
        if let timelinePath {
            print("")
            print(try TimelineCheck(workspace: workspace, style: style).render(exercise, outcome: outcome, yoursAt: timelinePath,
                                                                            passedOnce: store.state[exercise.id].firstPassedAt != nil))
        }
        printRoomNote()
        return outcome.passed ? 0 : 1
    }

    /// Builds and runs the checks, and notes the result in the progress file.
    mutating func runCheck(_ exercise: Exercise, timelinePath: String? = nil) throws -> CheckOutcome {
        let fingerprint = workspace.fingerprint(of: exercise)
        let arguments = TimelineCheck.drawingArguments(style) + (timelinePath.map { ["--timeline", $0] } ?? [])
        let outcome = try Checker(workspace: workspace, runnerArguments: arguments).check(exercise)
        store.recordCheck(of: exercise, passed: outcome.passed, failedProperty: outcome.failedProperty, fingerprint: fingerprint)
        if store.state.current == nil { store.state.current = exercise.id }
        try store.save()
        sendReportToRoom()
        return outcome
    }

    /// The feedback for one check, and the next step.
    func render(_ outcome: CheckOutcome, for exercise: Exercise) -> String {
        var lines: [String] = []
        let record = store.state[exercise.id]
        switch outcome {
        case .doesNotCompile(let diagnostics):
            lines.append(style.red("It does not compile yet:"))
            lines.append(diagnostics)
            lines.append("")
            lines.append("Next: fix the compiler's complaint above, then check again. (Other exercises are not affected.)")
        case .ran(let summary, let crash, let printed):
            if workspace.isUntouched(exercise) && summary.onlyUnfinished && crash == nil {
                lines.append(Feedback.render(summary, style: style))
                lines.append("")
                lines.append(style.yellow("Not started yet.") + " Open \(exercise.exercisePath), read the instructions at the top,")
                lines.append("and replace `todo(...)` with your code. Then check again (or `swift run workbook watch`).")
                return lines.joined(separator: "\n")
            }
            lines.append(Feedback.render(summary, style: style))
            var output = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.isEmpty }
            if let crash {
                lines.append("")
                lines.append(style.wrap(style.red("Crashed: ") + crash
                    + (summary.interruptedScenario.map { " during \"\(summary.scenarios[$0])\"" } ?? "") + ".", indent: "  ", firstIndent: ""))
                let report = CrashReport(output: output, exercise: exercise, root: workspace.root)
                if let message = report.message { lines.append("  " + style.bold(message)) }
                for frame in report.framesInExercise { lines.append("  " + frame) }
                output = report.printedBeforeCrash
            }
            if !outcome.passed && !output.isEmpty {
                lines.append("")
                lines.append(style.dim("What the program printed (last lines):"))
                for line in output.suffix(crash == nil ? 8 : 14) {
                    let room = max(20, style.width - 4)
                    lines.append(style.dim("  | ") + (line.count > room ? String(line.prefix(room - 1)) + "…" : line))
                }
            }
            lines.append("")
            if outcome.passed {
                let attempt = record.attemptsToPass.map { " (it took \($0) attempt\($0 == 1 ? "" : "s"))" } ?? ""
                lines.append(style.green("✓ \(exercise.id) passes every check.") + attempt)
                lines.append("  Compare with the solution:  " + style.cyan("swift run workbook solution \(exercise.id)"))
                if let next = store.next(after: exercise) {
                    lines.append("  Then move on:               " + style.cyan("swift run workbook next") + style.dim("   (\(next.id) \(next.title))"))
                }
            } else {
                let passed = summary.passedCount
                lines.append(style.red("✗ \(exercise.id): \(passed) of \(summary.scenarios.count) checks pass.")
                    + " Fix the first problem above, then check again.")
                if record.hintsShown < exercise.hints.count {
                    lines.append("  Stuck?  " + style.cyan("swift run workbook hint \(exercise.id)")
                        + style.dim("   (hint \(record.hintsShown + 1) of \(exercise.hints.count))"))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Checks every exercise that is not the stub as shipped. Exit status 0 only when every
    /// exercise of the course passes.
    mutating func checkAll() throws -> Int32 {
        var failures = 0
        for exercise in Course.exercises {
            if workspace.isUntouched(exercise) {
                print(style.dim("  · \(exercise.id)  \(pad(exercise.title, 46))not started"))
                continue
            }
            let outcome = try runCheck(exercise)
            switch outcome {
            case .doesNotCompile:
                failures += 1
                print(style.red("  ✗ \(exercise.id)") + "  \(pad(exercise.title, 46))" + style.red("does not compile"))
            case .ran(let summary, let crash, _):
                if outcome.passed {
                    print(style.green("  ✓ \(exercise.id)") + "  \(pad(exercise.title, 46))" + style.green("passes (\(summary.passedCount)/\(summary.scenarios.count))"))
                } else {
                    failures += 1
                    let problem = crash != nil ? "crashed" : summary.firstProblem?.property.map { "fails: \($0.title)" } ?? "fails"
                    print(style.red("  ✗ \(exercise.id)") + "  \(pad(exercise.title, 46))" + style.red(problem)
                        + style.dim(" (\(summary.passedCount)/\(summary.scenarios.count))"))
                }
            }
        }
        print("")
        let done = store.doneCount
        let total = Course.exercises.count
        print("  " + progressBar(done: done, total: total, style: style) + " done")
        if failures > 0 { print("  Details: " + style.cyan("swift run workbook check ID")) }
        // The exit status answers "does the whole workbook pass?", for scripts and CI: an
        // exercise not started is not passing.
        if done < total {
            print(style.dim("  \(total - done) of \(total) not passing yet (failing or not started): exit status 1."))
        }
        printRoomNote()
        return done == total ? 0 : 1
    }

    // MARK: Hints, moving, resetting, solutions

    mutating func hint(_ exercise: Exercise) throws {
        var record = store.state[exercise.id]
        let level = min(record.hintsShown + 1, exercise.hints.count)
        record.hintsShown = max(record.hintsShown, level)
        store.state[exercise.id] = record
        try store.save()
        let names = ["a nudge", "the API to use", "nearly the answer"]
        print(style.bold("Hint \(level) of \(exercise.hints.count) for \(exercise.id) \(exercise.title)") + style.dim(" (\(names[min(level, 3) - 1]))"))
        if level == exercise.hints.count {
            // Nearly the answer: mostly code, shown as code.
            print(HintLayout.render(exercise.hints[level - 1], style: style))
        } else {
            print(style.wrap(exercise.hints[level - 1], indent: "  ", firstIndent: "  "))
        }
        if level < exercise.hints.count {
            print(style.dim("  Still stuck? `swift run workbook hint \(exercise.id)` again gives hint \(level + 1)."))
        } else {
            print(style.dim("  That was the last hint. `swift run workbook solution \(exercise.id) --force` shows the solution."))
        }
    }

    mutating func moveToNext() throws {
        guard let next = store.next(after: store.current) else {
            print(style.green("Every exercise is done."))
            return
        }
        try go(to: next)
    }

    mutating func go(to exercise: Exercise) throws {
        store.state.current = exercise.id
        try store.save()
        print("Current exercise: " + style.bold("\(exercise.id) \(exercise.title)") + "  (\(store.status(of: exercise).label(style)))")
        print("  \(exercise.exercisePath)")
        print(style.wrap(exercise.task, indent: "  ", firstIndent: "  "))
        let lesson = Course.lesson(exercise.lesson)
        print("  The lesson: " + style.cyan("swift run \(lesson?.executable ?? "")") + "   Check: " + style.cyan("swift run workbook check")
            + "   Watch: " + style.cyan("swift run workbook watch"))
    }

    mutating func reset(_ exercise: Exercise, confirmed: Bool) throws -> Int32 {
        guard let original = workspace.read(exercise.originalPath) else {
            throw InputError(
                "the original of \(exercise.id) cannot be found: this folder is not a git clone, and "
                    + "\(exercise.exercisePath) was changed before the workbook first ran (get a fresh copy of the file)")
        }
        if workspace.read(exercise.exercisePath) == original {
            print("\(exercise.id) is already as it was shipped: nothing to reset.")
            return 0
        }
        if !confirmed {
            print("Put \(exercise.exercisePath) back as it was shipped? Your version is kept in a backup. [y/N] ", terminator: "")
            fflush(nil)
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces)) else {
                print("\nNot reset. (To reset without being asked: swift run workbook reset \(exercise.id) --yes)")
                return 1
            }
        }
        let backups = workspace.backupsDirectory
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let backup = "\(backups)/\(exercise.id)-\(stamp)-\(exercise.file)"
        if let current = workspace.read(exercise.exercisePath) {
            try current.write(to: URL(fileURLWithPath: backup))
        }
        try original.write(to: URL(fileURLWithPath: workspace.path(exercise.exercisePath)))
        var record = store.state[exercise.id]
        record.lastCheckedFingerprint = nil
        record.lastPassed = nil
        store.state[exercise.id] = record
        try store.save()
        print("Reset \(exercise.exercisePath) to the stub as shipped.")
        print(style.dim("Your version is in \(backup.replacingOccurrences(of: workspace.root + "/", with: ""))"))
        return 0
    }

    func showSolution(_ exercise: Exercise, force: Bool) -> Int32 {
        let record = store.state[exercise.id]
        guard record.firstPassedAt != nil || force else {
            print("The solution of \(exercise.id) opens once your exercise passes its checks: "
                + style.cyan("swift run workbook check \(exercise.id)"))
            print(style.dim("To see it anyway: swift run workbook solution \(exercise.id) --force"))
            return 1
        }
        guard let solution = workspace.read(exercise.solutionPath) else {
            printError("workbook: error: missing \(exercise.solutionPath)")
            return 1
        }
        print(style.bold("The solution of \(exercise.id) \(exercise.title)") + style.dim("   \(exercise.solutionPath)"))
        print("")
        print(String(decoding: solution, as: UTF8.self))
        return 0
    }
}
