// swift-tools-version: 6.0
//
// The workbook is one package with no dependencies outside the Swift toolchain.
//
//   Sources/ConcurrentFutures  the pool library: a Swift port of Python's concurrent.futures
//   Sources/LessonSupport      what the lessons share: narration, a local HTTP server, timelines
//   Sources/Reliability        the stress run and memory checks (`swift run -c release stress`)
//   Sources/bench              benchmarks against GCD, Swift concurrency and CPython
//   Lessons/lessonNN           one executable per lesson: `swift run lesson01`
//   Tests/                     `swift test`
import PackageDescription

/// GNU extensions of Glibc (`pthread_setname_np`, `pipe2`, ...) are hidden unless `_GNU_SOURCE`
/// is defined for the Clang importer. A plain define, no unsafe flags.
let glibcExtensions: [CSetting] = [.define("_GNU_SOURCE")]

let package = Package(
    name: "ThreadPoolWorkbook",
    products: [
        .library(name: "ConcurrentFutures", targets: ["ConcurrentFutures"]),
    ],
    targets: [
        .target(
            name: "ConcurrentFutures",
            cSettings: glibcExtensions
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
