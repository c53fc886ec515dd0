// swift-tools-version: 6.0
//
// The workbook is one package with no dependencies outside the Swift toolchain. Sources/ has
// three places:
//
//   Sources/ConcurrentFutures  the pool library: a Swift port of Python's concurrent.futures,
//                              and under Platform/ the one module that talks to the operating
//                              system (Linux or macOS)
//   Sources/Course             the course's machinery: what the lessons share (LessonSupport),
//                              the course index, the exercise checks and `swift run workbook`
//   Sources/Measuring          the measuring tools: `swift run -c release bench` and `stress`
//
//   Lessons/lessonNN           one executable per lesson: `swift run lesson01`
//   Exercises/, Solutions/     the exercises (stubs) and their verified solutions
//   Tests/                     `swift test`
import PackageDescription

/// GNU extensions of Glibc (`pipe2`, `accept4`, `sched_getaffinity`, ...) are hidden unless
/// `_GNU_SOURCE` is defined for the Clang importer. Only the platform layer uses them, and only
/// on Linux: everywhere else, the plain POSIX spellings (which macOS shares) are the ones seen.
let glibcExtensions: [CSetting] = [.define("_GNU_SOURCE", .when(platforms: [.linux]))]

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

/// Swift checks at run time that no two accesses to a class's stored property overlap
/// (exclusivity), on every access: in the pool's hot path (the future's state, the pool's queue)
/// that bookkeeping was a sixth of all instructions (callgrind, 20,000 submit+result: 18 % in
/// `swift_beginAccess` and `AccessSet::insert`). The library keeps its state behind locks, so
/// release builds of the library leave these checks out: 4,680 instructions per task became
/// 3,500 (-25 %). Debug builds, and so `swift test` and the ThreadSanitizer and AddressSanitizer
/// runs of CI, keep every check; the compiler's static checks stay on everywhere.
let libraryReleaseSettings: [SwiftSetting] = crossModuleOptimization + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The lessons: `swift run lesson01` ... `swift run lesson15`. The numbers are the course's
/// contract (README: "The course"); each lesson is one folder with its `main.swift` and notes.
let lessonNumbers = (1...15).map { $0 < 10 ? "0\($0)" : "\($0)" }

let package = Package(
    name: "ThreadPoolWorkbook",
    // Synchronization's `Atomic` and `Mutex` need macOS 15; Linux has no such floor.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ConcurrentFutures", targets: ["ConcurrentFutures"]),
    ],
    targets: [
        // The only module that imports Glibc or Darwin; see Sources/ConcurrentFutures/Platform.
        .target(
            name: "SystemPlatform",
            path: "Sources/ConcurrentFutures/Platform",
            cSettings: glibcExtensions
        ),
        .target(
            name: "ConcurrentFutures",
            dependencies: ["SystemPlatform"],
            exclude: ["Platform", "README.md"],
            swiftSettings: libraryReleaseSettings
        ),
        .target(
            name: "LessonSupport",
            dependencies: ["ConcurrentFutures", "SystemPlatform", "WorkbookCourse"],
            path: "Sources/Course/LessonSupport"
        ),
        // The reliability suite: a stress run and memory checks, shared by the tests (small)
        // and `swift run -c release stress` (full size).
        .target(
            name: "Reliability",
            dependencies: ["ConcurrentFutures", "SystemPlatform"],
            path: "Sources/Measuring/Reliability"
        ),
        .executableTarget(
            name: "stress",
            dependencies: ["Reliability"],
            path: "Sources/Measuring/stress"
        ),
        // `swift run -c release bench`: the library against GCD, Swift concurrency and CPython.
        .executableTarget(
            name: "bench",
            dependencies: ["ConcurrentFutures", "SystemPlatform"],
            path: "Sources/Measuring/bench",
            exclude: ["python", "README.md", "many-cores.sh"]
        ),
        .testTarget(
            name: "SystemPlatformTests",
            dependencies: ["SystemPlatform"],
            cSettings: glibcExtensions  // pthread_getattr_np, to read a thread's stack size back
        ),
        .testTarget(
            name: "ConcurrentFuturesTests",
            dependencies: ["ConcurrentFutures", "SystemPlatform", "Reliability", "stress"]
        ),
        .testTarget(
            name: "LessonSupportTests",
            dependencies: ["LessonSupport", "ConcurrentFutures", "SystemPlatform"]
        ),
        // The process pool's tests start real worker processes: ProcessPoolWorker, a small
        // program built next to the test runner, registers the tasks of ProcessPoolTestTasks.
        .target(
            name: "ProcessPoolTestTasks",
            dependencies: ["ConcurrentFutures", "SystemPlatform"],
            path: "Tests/ProcessPoolTestTasks"
        ),
        .executableTarget(
            name: "ProcessPoolWorker",
            dependencies: ["ConcurrentFutures", "ProcessPoolTestTasks", "SystemPlatform"],
            path: "Tests/ProcessPoolWorker",
            exclude: ["python"]
        ),
        .testTarget(
            name: "ProcessPoolTests",
            dependencies: ["ConcurrentFutures", "ProcessPoolTestTasks", "ProcessPoolWorker", "SystemPlatform"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for number in lessonNumbers {
    package.targets.append(.executableTarget(
        name: "lesson" + number,
        dependencies: ["ConcurrentFutures", "LessonSupport", "SystemPlatform"],
        path: "Lessons/lesson" + number,
        exclude: ["README.md"]
    ))
}

// MARK: - Exercises, solutions and the `workbook` tool (README: "Exercises and the workbook")
//
// Each exercise compiles to a module of its own (`Exercise05a`), with a small program that runs
// its checks (`check-05a`). So `swift run workbook check 05a` compiles that one exercise and
// nothing else, and an exercise that does not compile does not keep the others from being
// checked. The solutions are one module (`Solutions`): their names never clash. The checks
// (`WorkbookChecks`) take an implementation as a value, so the same checks run against an
// exercise and against its solution.
//
// The list below is derived from the course index (Sources/Course/WorkbookCourse/
// CourseExercises.swift) by `swift run workbook dev sync`, like the runners' main.swift files
// and the tests' list of checks: a manifest cannot import the index. CI fails when it is stale.
// BEGIN exercise list: generated by `swift run workbook dev sync` from the course index. Do not edit.
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
/// The exercises whose checks start worker processes: their runner is also the pool's
/// worker program, so the tests, which start it, depend on it.
let exercisesWithWorkerProcesses: [String] = ["11a"]
// END exercise list
let exerciseModules: [Target.Dependency] = exerciseFolders.map { .target(name: "Exercise" + $0.prefix(3)) }
package.targets += [
    .target(name: "WorkbookCourse", path: "Sources/Course/WorkbookCourse"),
    .target(name: "ExerciseKit", dependencies: ["ConcurrentFutures", "SystemPlatform"], path: "Sources/Course/ExerciseKit"),
    // The checks draw timelines of what they saw with the lessons' drawing (LessonSupport).
    .target(
        name: "WorkbookChecks", dependencies: ["ConcurrentFutures", "ExerciseKit", "WorkbookCourse", "SystemPlatform", "LessonSupport"],
        path: "Sources/Course/WorkbookChecks"
    ),
    .target(
        name: "WorkbookTool", dependencies: ["ConcurrentFutures", "WorkbookCourse", "SystemPlatform", "LessonSupport", "WorkbookChecks"],
        path: "Sources/Course/WorkbookTool"
    ),
    .executableTarget(name: "workbook", dependencies: ["WorkbookTool"], path: "Sources/Course/workbook"),
    // `check-solutions 05a`: the checks against the solution, for `workbook check 05a --timeline`,
    // which draws the solution's run next to the learner's. Built only when that asks for it.
    .executableTarget(
        name: "check-solutions", dependencies: ["WorkbookChecks", "Solutions", "ConcurrentFutures"],
        path: "Sources/Course/WorkbookRunners/solutions"
    ),
    .target(name: "Solutions", dependencies: ["ConcurrentFutures", "ExerciseKit"], path: "Solutions"),
    .testTarget(
        name: "WorkbookTests",
        dependencies: ["WorkbookChecks", "WorkbookCourse", "ExerciseKit", "Solutions", "WorkbookSolutionWorker", "LessonSupport"]
            + exerciseModules + exercisesWithWorkerProcesses.map { .target(name: "check-" + $0) },
        // Known racy answers, whole exercise files: CI checks them with `workbook check ID --tsan`.
        exclude: ["RacyAnswers"]
    ),
    // The process pool of exercise 11a's solution starts this program as its worker in the tests.
    .executableTarget(
        name: "WorkbookSolutionWorker",
        dependencies: ["ConcurrentFutures", "Solutions"],
        path: "Tests/WorkbookSolutionWorker"
    ),
    .testTarget(name: "WorkbookToolTests", dependencies: ["WorkbookTool", "WorkbookCourse", "LessonSupport"]),
]
for folder in exerciseFolders {
    let id = String(folder.prefix(3))
    package.targets += [
        .target(name: "Exercise" + id, dependencies: ["ConcurrentFutures", "ExerciseKit"], path: "Exercises/" + folder),
        .executableTarget(
            name: "check-" + id,
            dependencies: ["WorkbookChecks", .target(name: "Exercise" + id)],
            path: "Sources/Course/WorkbookRunners/" + id
        ),
    ]
}
