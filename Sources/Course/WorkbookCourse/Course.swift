// The course index: every lesson and exercise, with the files and hints of each exercise.
//
// The one place this is written down. The `workbook` tool reads it (list, check, hint, reset,
// solution), the tests read it (which checks exist, which files to compare), and so do the
// docs: the exercise table in README.md is `swift run workbook list --markdown`, and a test
// keeps the two the same. Package.swift lists the exercise folders once more, because a
// manifest cannot import this module; a test checks that the two lists agree.

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
    /// Three levels: a nudge, then the API to use, then nearly the answer.
    public let hints: [String]

    /// "Exercises/05a-first-good-answer/FirstGoodAnswer.swift", relative to the package root.
    public var exercisePath: String { "Exercises/\(folder)/\(file)" }
    /// "Solutions/05a-first-good-answer/FirstGoodAnswer.swift"
    public var solutionPath: String { "Solutions/\(folder)/\(file)" }
    /// The stub as shipped, kept inside the package so that `workbook reset` needs no git.
    public var originalPath: String { "Sources/Course/workbook/Originals/\(folder)/\(file)" }
    /// The module the exercise compiles to: "Exercise05a".
    public var module: String { "Exercise" + id }
    /// The program that runs its checks: "check-05a".
    public var runner: String { "check-" + id }
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
