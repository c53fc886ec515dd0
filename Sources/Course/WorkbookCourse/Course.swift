// The course index: every lesson and exercise, with the files and hints of each exercise.
//
// The one place this is written down. The `workbook` tool reads it (list, check, hint, reset,
// solution), the tests read it (which checks exist, which files to compare), and so do the
// docs: the exercise table in README.md is `swift run workbook list --markdown`, and a test
// keeps the two the same.
//
// Everything else that names the exercises is derived from it: `swift run workbook dev sync`
// writes the exercise list of Package.swift (a manifest cannot import this module), each
// check runner's main.swift, the tests' list of checks, and the fingerprints of the stubs as
// shipped (DerivedFiles.swift says which files). CI runs `workbook dev sync --check`, which
// fails when one of them is stale. Adding an exercise NNx is:
//
//   Exercises/NNx-name/File.swift and Solutions/NNx-name/File.swift   the stub and the solution
//   Sources/Course/WorkbookChecks/Checks/CheckNNx.swift               its check, with the types it
//     and Sources/Course/ExerciseKit/Shared/NNx.swift                 shares with the exercise (if any)
//   Tests/WorkbookTests/KnownAnswers/KnownAnswersNNx.swift            the check's proof: three wrong
//                                                                     answers it catches, a right one
//   one entry in CourseExercises.swift, then `swift run workbook dev sync`.

/// One lesson: `swift run lessonNN`.
public struct Lesson: Sendable, Equatable {
    public let number: Int
    public let title: String
    /// "lesson05"
    public var executable: String { "lesson" + twoDigits(number) }
}

/// One exercise: a stub in Exercises/, its solution in Solutions/, its checks in WorkbookChecks.
public struct Exercise: Sendable, Equatable {
    /// "05a": the lesson's number and a letter. What learners type: `swift run workbook check 05a`.
    public let id: String
    public let lesson: Int
    public let title: String
    /// What the exercise asks, in one sentence.
    public let task: String
    /// The folder under Exercises/ and Solutions/, such as "05a-first-good-answer".
    public let folder: String
    /// The Swift file in that folder, such as "FirstGoodAnswer.swift".
    public let file: String
    /// How the check (`Check05a` in WorkbookChecks) calls the exercise: its `Implementation`,
    /// written with the exercise's own names, such as
    /// `.init(firstGoodAnswer: firstGoodAnswer)`. The generated runner compiles it against the
    /// exercise's module, the generated tests against it and against `Solutions`.
    public let check: String
    /// For an exercise that runs a process pool: the list of its task types (such as
    /// "primeTasks"). Its runner is then also the pool's worker program, and the check's
    /// binding may name `worker`, the program that the pool starts.
    public let workerTasks: String?
    /// Three levels: a nudge, then the API to use, then nearly the answer.
    public let hints: [String]

    init(id: String, lesson: Int, title: String, task: String, folder: String, file: String,
         check: String, workerTasks: String? = nil, hints: [String]) {
        (self.id, self.lesson, self.title, self.task, self.folder, self.file) = (id, lesson, title, task, folder, file)
        (self.check, self.workerTasks, self.hints) = (check, workerTasks, hints)
    }

    /// "Exercises/05a-first-good-answer/FirstGoodAnswer.swift", relative to the package root.
    public var exercisePath: String { "Exercises/\(folder)/\(file)" }
    /// "Solutions/05a-first-good-answer/FirstGoodAnswer.swift"
    public var solutionPath: String { "Solutions/\(folder)/\(file)" }
    /// Where `workbook reset` keeps the stub as shipped: a copy that the tool makes (and checks
    /// against `shippedStub`) while the exercise is untouched, or takes from git. Never
    /// committed: see ShippedStubs.swift.
    public var originalPath: String { ".build/workbook-originals/\(folder)/\(file)" }
    /// The module the exercise compiles to: "Exercise05a".
    public var module: String { "Exercise" + id }
    /// The program that runs its checks: "check-05a".
    public var runner: String { "check-" + id }
    /// The check's type in WorkbookChecks: "Check05a".
    public var checkType: String { "Check" + id }

    /// The git blob id of the stub as shipped (ShippedStubs.swift, written by `workbook dev sync`).
    public var shippedStubID: String? { shippedStubIDs[id] }

    /// Whether `contents` is this exercise's stub as shipped, byte for byte (line endings aside).
    public func isShippedStub(_ contents: [UInt8]) -> Bool {
        shippedStubID == gitBlobID(contents)
    }
}

public enum Course {
    public static let lessons: [Lesson] = [
        Lesson(number: 1, title: "Why pools"),
        Lesson(number: 2, title: "submit and Future"),
        Lesson(number: 3, title: "map"),
        Lesson(number: 4, title: "asCompleted"),
        Lesson(number: 5, title: "wait"),
        Lesson(number: 6, title: "Callbacks"),
        Lesson(number: 7, title: "Exceptions"),
        Lesson(number: 8, title: "Timeouts"),
        Lesson(number: 9, title: "Cancellation"),
        Lesson(number: 10, title: "Lifecycle"),
        Lesson(number: 11, title: "Process pools"),
        Lesson(number: 12, title: "Pitfalls"),
        Lesson(number: 13, title: "Monitoring"),
        Lesson(number: 14, title: "Projects"),
        Lesson(number: 15, title: "Futures and async/await"),
    ]

    public static let exercises: [Exercise] = courseExercises

    /// The exercise with this id ("05a"; "5a" works too), or `nil`.
    public static func exercise(_ id: String) -> Exercise? {
        let wanted = id.lowercased()
        return exercises.first { $0.id == wanted || $0.id == "0" + wanted }
    }

    public static func exercises(ofLesson number: Int) -> [Exercise] {
        exercises.filter { $0.lesson == number }
    }

    public static func lesson(_ number: Int) -> Lesson? {
        lessons.first { $0.number == number }
    }
}

func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
