import ConcurrentFutures
import Foundation
import SystemPlatform
import WorkbookCourse

/// The whole program of a check runner such as `check-05a`:
///
///     // Sources/Course/WorkbookRunners/05a/main.swift
///     import Exercise05a
///     import WorkbookChecks
///     WorkbookRunner.main(Check05a.self, .init(firstGoodAnswer: firstGoodAnswer))
///
/// The `workbook` tool builds and starts it with `--report FILE --source FILE`; it writes one
/// JSON event per line to the report as the scenarios run, and exits 0 when every scenario
/// passed, 1 when one did not. Started by hand (`swift run check-05a`), it prints the feedback.
///
/// More options: `--timeline FILE` writes the timeline of the check's timeline scenario
/// (`TimelineFile`), `--timeline-only` runs that scenario alone, `--color` and `--width N` say
/// how to draw the compact timeline under a failure. `check-solutions 05a` takes the same
/// options and checks the solution (`solution: true`).
public enum WorkbookRunner {
    public static func main<Check: ExerciseCheck>(
        _ check: Check.Type, _ implementation: Check.Implementation, solution: Bool = false
    ) -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func value(of option: String) -> String? {
            guard let position = arguments.firstIndex(of: option), position + 1 < arguments.count else { return nil }
            return arguments[position + 1]
        }
        guard let exercise = Course.exercise(Check.exerciseID) else {
            FileHandle.standardError.write(Data("check runner: \(Check.exerciseID) is not in the course index\n".utf8))
            exit(2)
        }
        let sourcePath = value(of: "--source") ?? (packageRoot() + "/" + (solution ? exercise.solutionPath : exercise.exercisePath))
        let sourceText = try? String(contentsOfFile: sourcePath, encoding: .utf8)
        // What the exercise prints should reach the tool even if the program then crashes: make
        // standard output line-buffered (it is fully buffered when it is a file, and a crash
        // loses the buffer).
        lineBufferStandardOutput()
        // Checks abandon futures on purpose (a planted error, a failing scenario); the library's
        // "error never retrieved" notes about those would only be noise here.
        FutureDiagnostics.reportsUnretrievedErrors = false

        var report: FileHandle?
        if let reportPath = value(of: "--report") {
            _ = FileManager.default.createFile(atPath: reportPath, contents: nil)
            report = FileHandle(forWritingAtPath: reportPath)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var events: [RunnerEvent] = []
        var prepared = check.prepare(implementation, module: solution ? "Solutions" : exercise.module)
        let timelineScenario = prepared.timelineScenario
        if arguments.contains("--timeline-only") {
            let only = timelineScenario.map { [prepared.scenarios[$0]] } ?? []
            prepared = PreparedCheck(exerciseID: prepared.exerciseID, scenarios: only, module: prepared.module,
                                     timeline: timelineScenario == nil ? prepared.timeline : .scenario(0, note: prepared.timelineNote))
        }
        let drawnIndex = prepared.timelineScenario
        // Printed by hand: drawn for this terminal. Started by the tool: as the tool says.
        let printing = report == nil
        let style = TextStyle(
            colors: printing ? isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil : arguments.contains("--color"),
            width: value(of: "--width").flatMap(Int.init).map { min($0, 80) - 2 } ?? TextStyle.timeline.width)
        var drawnRecording: ScenarioRecording?
        let results = CheckHarness.run(prepared, sourceText: sourceText, style: style, recorded: { index, recording in
            if index == drawnIndex { drawnRecording = recording }
        }) { event in
            events.append(event)
            if let report, var line = try? encoder.encode(event) {
                line.append(0x0A)
                report.write(line)
            }
        }
        try? report?.close()
        if let path = value(of: "--timeline") {
            let status = results.first { $0.index == drawnIndex }?.status
            try? TimelineFile(check: prepared, recording: drawnRecording, status: status).write(to: path)
        }
        if printing {
            print("\(exercise.id) \(exercise.title)")
            print(Feedback.render(CheckSummary(events: events), style: TextStyle(colors: style.colors, width: 80)))
        }
        fflush(nil)
        let passed = !results.isEmpty && results.allSatisfy { $0.status == .passed }
        // `_exit`: after a time-out some of the exercise's threads may be stuck; do not wait for them.
        _exit(passed ? 0 : 1)
    }

    /// `check-solutions` was given no exercise id, or one the course does not have.
    public static func unknownExercise() -> Never {
        let given = CommandLine.arguments.dropFirst().first ?? ""
        FileHandle.standardError.write(Data("check-solutions: error: no exercise \"\(given)\": give an id such as 05a\n".utf8))
        exit(2)
    }

    /// The package's folder: found from the current directory upwards, or from where this file
    /// was compiled.
    static func packageRoot() -> String {
        var directory = FileManager.default.currentDirectoryPath
        while directory != "/" && !directory.isEmpty {
            if FileManager.default.fileExists(atPath: directory + "/Package.swift"),
               FileManager.default.fileExists(atPath: directory + "/Exercises") {
                return directory
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        // #filePath: <root>/Sources/Course/WorkbookChecks/Runner.swift
        var path = #filePath
        for _ in 0..<4 { path = (path as NSString).deletingLastPathComponent }
        return path
    }
}
