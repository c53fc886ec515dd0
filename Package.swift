// swift-tools-version: 6.0
//
// The workbook is one package with no dependencies outside the Swift toolchain.
//
//   Sources/ConcurrentFutures  the pool library: a Swift port of Python's concurrent.futures
//   Sources/LessonSupport      what the lessons share: narration, a local HTTP server, timelines
//   Sources/Reliability        the stress run and memory checks (`swift run -c release stress`)
//   Sources/bench              benchmarks against GCD, Swift concurrency and CPython
//   Sources/Workbook*, Sources/ExerciseKit, Sources/workbook
//                              the course index, the checks and `swift run workbook`
//   Lessons/lessonNN           one executable per lesson: `swift run lesson01`
//   Exercises/, Solutions/     the exercises (stubs) and their verified solutions
//   Tests/                     `swift test`
import PackageDescription

/// GNU extensions of Glibc (`pthread_setname_np`, `pipe2`, ...) are hidden unless `_GNU_SOURCE`
/// is defined for the Clang importer. A plain define, no unsafe flags.
let glibcExtensions: [CSetting] = [.define("_GNU_SOURCE")]

/// The pool library is generic (`Future<Value>`, `submit<T>`), and generic code compiled in one
/// module runs *unspecialized* when called from another: every use of a generic type costs a
/// run-time type lookup. Cross-module optimization lets the compiler specialize the library's
/// generic code inside the lessons, tests and benchmarks that call it, for their own types.
/// Measured with `swift run -c release bench --suite submit`: 1.6x the throughput.
/// It is a compiler flag without a SwiftPM setting, hence `unsafeFlags`, which SwiftPM accepts
/// in a root package (this one) and refuses in a package used as a versioned dependency.
let crossModuleOptimization: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "ThreadPoolWorkbook",
    products: [
        .library(name: "ConcurrentFutures", targets: ["ConcurrentFutures"]),
    ],
    targets: [
        .target(
            name: "ConcurrentFutures",
            cSettings: glibcExtensions,
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "LessonSupport",
            dependencies: ["ConcurrentFutures"],
            cSettings: glibcExtensions
        ),
        .executableTarget(
            name: "lesson01",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson01",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson02",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson02",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson03",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson03",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson04",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson04",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson05",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson05",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson06",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson06",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson07",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson07",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson08",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson08",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson09",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson09",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson10",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson10",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson11",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson11",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson12",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson12",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson13",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson13",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson14",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson14",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "lesson15",
            dependencies: ["ConcurrentFutures", "LessonSupport"],
            path: "Lessons/lesson15",
            exclude: ["README.md"]
        ),
        // The reliability suite: a stress run and memory checks, shared by the tests (small)
        // and `swift run -c release stress` (full size).
        .target(
            name: "Reliability",
            dependencies: ["ConcurrentFutures"]
        ),
        .executableTarget(
            name: "stress",
            dependencies: ["Reliability"]
        ),
        // `swift run -c release bench`: the library against GCD, Swift concurrency and CPython.
        .executableTarget(
            name: "bench",
            dependencies: ["ConcurrentFutures"],
            exclude: ["python"]
        ),
        .testTarget(
            name: "ConcurrentFuturesTests",
            dependencies: ["ConcurrentFutures", "Reliability", "stress"]
        ),
        .testTarget(
            name: "LessonSupportTests",
            dependencies: ["LessonSupport", "ConcurrentFutures"]
        ),
        // The process pool's tests start real worker processes: ProcessPoolWorker, a small
        // program built next to the test runner, registers the tasks of ProcessPoolTestTasks.
        .target(
            name: "ProcessPoolTestTasks",
            dependencies: ["ConcurrentFutures"],
            path: "Tests/ProcessPoolTestTasks"
        ),
        .executableTarget(
            name: "ProcessPoolWorker",
            dependencies: ["ConcurrentFutures", "ProcessPoolTestTasks"],
            path: "Tests/ProcessPoolWorker",
            exclude: ["python"]
        ),
        .testTarget(
            name: "ProcessPoolTests",
            dependencies: ["ConcurrentFutures", "ProcessPoolTestTasks", "ProcessPoolWorker"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: - Exercises, solutions and the `workbook` tool (README: "Exercises and the workbook")
//
// Each exercise compiles to a module of its own (`Exercise05a`), with a small program that runs
// its checks (`check-05a`). So `swift run workbook check 05a` compiles that one exercise and
// nothing else, and an exercise that does not compile does not keep the others from being
// checked. The solutions are one module (`Solutions`): their names never clash. The checks
// (`WorkbookChecks`) take an implementation as a value, so the same checks run against an
// exercise and against its solution. This list must match the course index in
// Sources/WorkbookCourse/CourseExercises.swift; a test checks that it does.
let exerciseFolders = [
    "02a-two-pages",
    "02b-receipts",
    "03a-in-order",
    "03b-chunked-totals",
    "04a-fastest-mirror",
    "05a-first-good-answer",
    "05b-fail-fast",
    "06a-progress-counter",
    "07a-successes-and-failures",
    "08a-deadline",
    "09a-stop-the-search",
    "10a-service",
    "11a-primes",
    "12a-deadlock",
    "12b-racy-counter",
    "13a-monitored-pool",
    "13b-back-pressure",
    "14a-word-counter",
    "14b-link-checker",
    "15a-async-wrapper",
    "15b-task-group",
]
let exerciseModules: [Target.Dependency] = exerciseFolders.map { .target(name: "Exercise" + $0.prefix(3)) }
package.targets += [
    .target(name: "WorkbookCourse"),
    .target(name: "ExerciseKit", dependencies: ["ConcurrentFutures"]),
    .target(name: "WorkbookChecks", dependencies: ["ConcurrentFutures", "ExerciseKit", "WorkbookCourse"]),
    .target(name: "WorkbookTool", dependencies: ["ConcurrentFutures", "WorkbookCourse"]),
    .executableTarget(name: "workbook", dependencies: ["WorkbookTool"], exclude: ["Originals"]),
    .target(name: "Solutions", dependencies: ["ConcurrentFutures", "ExerciseKit"], path: "Solutions"),
    .testTarget(
        name: "WorkbookTests",
        dependencies: ["WorkbookChecks", "WorkbookCourse", "ExerciseKit", "Solutions", "WorkbookSolutionWorker", "check-11a"]
            + exerciseModules
    ),
    // The process pool of exercise 11a's solution starts this program as its worker in the tests.
    .executableTarget(
        name: "WorkbookSolutionWorker",
        dependencies: ["ConcurrentFutures", "Solutions"],
        path: "Tests/WorkbookSolutionWorker"
    ),
    .testTarget(name: "WorkbookToolTests", dependencies: ["WorkbookTool", "WorkbookCourse"]),
]
for folder in exerciseFolders {
    let id = String(folder.prefix(3))
    package.targets += [
        .target(name: "Exercise" + id, dependencies: ["ConcurrentFutures", "ExerciseKit"], path: "Exercises/" + folder),
        .executableTarget(
            name: "check-" + id,
            dependencies: ["WorkbookChecks", .target(name: "Exercise" + id)],
            path: "Sources/WorkbookRunners/" + id
        ),
    ]
}
