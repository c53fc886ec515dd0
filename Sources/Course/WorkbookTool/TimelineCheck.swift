import Foundation
import WorkbookChecks
import WorkbookCourse

// `swift run workbook check 05a --timeline`: the check as usual, then a picture of what the
// learner's code did in the check's main scenario (one row for the calling thread, one per
// worker; the tasks, the waits, the cancellations, the failures), and, once the exercise has
// passed, the solution's run of the same scenario on the same time scale.
//
// The runner records the scenario and writes it to a file (`check-05a --timeline FILE`); the
// solution's run comes from `check-solutions 05a --timeline FILE --timeline-only`, a program
// built only for this. Both files are drawn together by `TimelineFile.render`.

struct TimelineCheck {
    let workspace: Workspace
    let style: TextStyle

    /// The runner's options for drawing the compact timeline under a failure like the tool
    /// draws: coloured or not, and how wide.
    static func drawingArguments(_ style: TextStyle) -> [String] {
        (style.colors ? ["--color"] : []) + ["--width", "\(min(style.width, 80))"]
    }

    /// A temporary file for a runner's timeline.
    static func temporaryPath(_ exercise: Exercise, _ whose: String) -> String {
        NSTemporaryDirectory() + "workbook-timeline-\(getpid())-\(exercise.id)-\(whose).json"
    }

    /// The learner's timeline (from the file at `yoursAt`) and, when the exercise has passed
    /// once, the solution's, drawn on one scale; or a line that says why there is none.
    func render(_ exercise: Exercise, outcome: CheckOutcome, yoursAt path: String, passedOnce: Bool) throws -> String {
        guard case .ran = outcome else {
            return style.dim("No timeline: \(exercise.id) does not compile yet, so nothing ran.")
        }
        guard let yours = TimelineFile.read(path) else {
            return style.dim("No timeline: the check program ended before it could write one.")
        }
        var solution: TimelineFile?
        if passedOnce && yours.unavailable == nil {
            solution = try solutionTimeline(exercise)
            if solution == nil {
                return (TimelineFile.render(yours: yours, solution: nil, style: style)
                    + [style.dim("  (The solution's timeline could not be made: `swift build --product check-solutions` failed.)")])
                    .joined(separator: "\n")
            }
        }
        return TimelineFile.render(yours: yours, solution: solution, style: style).joined(separator: "\n")
    }

    /// Builds `check-solutions` and runs the solution on the timeline scenario alone.
    func solutionTimeline(_ exercise: Exercise) throws -> TimelineFile? {
        let build = try runProgram(try swiftExecutable(), [
            "build", "--package-path", workspace.root, "--scratch-path", workspace.scratchPath,
            "--configuration", workspace.configuration, "--product", "check-solutions",
        ], directory: workspace.root, timeout: 600)
        guard build.status == 0 && build.signal == nil else { return nil }
        let path = Self.temporaryPath(exercise, "solution")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try runProgram(workspace.productsDirectory + "/check-solutions", [
            exercise.id, "--timeline", path, "--timeline-only", "--report", path + ".events",
        ], directory: workspace.root, timeout: 180)
        try? FileManager.default.removeItem(atPath: path + ".events")
        return TimelineFile.read(path)
    }
}
