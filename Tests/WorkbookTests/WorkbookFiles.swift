import Foundation
import Testing
import WorkbookChecks
import WorkbookCourse

/// The package's files, as the tests see them.
enum WorkbookFiles {
    /// <root>/Tests/WorkbookTests/WorkbookFiles.swift → <root>
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = (path as NSString).deletingLastPathComponent }
        return path
    }()

    static func read(_ relativePath: String) -> String? {
        try? String(contentsOfFile: root + "/" + relativePath, encoding: .utf8)
    }

    static func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/" + relativePath)
    }

    static func bytes(_ relativePath: String) -> [UInt8]? {
        FileManager.default.contents(atPath: root + "/" + relativePath).map { [UInt8]($0) }
    }

    /// An exercise is started once its file differs from the stub as shipped (whose git blob
    /// id the course index records).
    static func isStarted(_ id: String) -> Bool {
        guard let exercise = Course.exercise(id), let contents = bytes(exercise.exercisePath) else { return false }
        return !exercise.isShippedStub(contents)
    }

    static var startedCount: Int { Course.exercises.filter { isStarted($0.id) }.count }

    /// "0 of 21 exercises started: run `swift run workbook` to begin"
    static var summary: String {
        let started = startedCount
        let total = Course.exercises.count
        return started == 0
            ? "0 of \(total) exercises started: `swift run workbook` shows where to begin"
            : "\(started) of \(total) exercises started (checked in the suite \"Workbook: your exercises\"); the others are skipped"
    }

    /// CI sets WORKBOOK_INTEGRITY=1: the exercises must then be exactly the stubs as shipped.
    static var integrityRun: Bool { ProcessInfo.processInfo.environment["WORKBOOK_INTEGRITY"] == "1" }
}

/// The checks of exercise `id` against the learner's exercise, for `ExerciseTests`.
func checkExercise(_ id: String) async {
    await expectAllPass(AllChecks.exercise(id), sourcePath: Course.exercise(id)!.exercisePath)
}

/// The checks of exercise `id` against its solution, for `SolutionTests`.
func checkSolution(_ id: String) async {
    await expectAllPass(AllChecks.solution(id), sourcePath: Course.exercise(id)!.solutionPath)
}

/// Runs `check` and records an issue with the learner's feedback unless every scenario passed.
func expectAllPass(_ check: PreparedCheck, sourcePath: String) async {
    let results = await CheckHarness.run(check, sourceText: WorkbookFiles.read(sourcePath))
    let summary = CheckSummary(events: [RunnerEvent(kind: .begin, scenarios: check.scenarios.map(\.name))] + results)
    if !summary.allPassed {
        Issue.record(Comment(rawValue: "\(check.exerciseID) (\(sourcePath)):\n" + Feedback.render(summary, style: .plain)))
    }
}
