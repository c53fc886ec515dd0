import ConcurrentFutures
import ExerciseKit

/// 06a A progress counter fed by callbacks: right counts, already-done futures, exact under load,
/// each step reported once, onChange may read the counter.
public enum Check06a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var counterType: any ProgressTracking.Type
        public init(counterType: any ProgressTracking.Type) { self.counterType = counterType }
    }

    public static let exerciseID = "06a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("counts succeeded, failed and cancelled futures") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let reports = LockedValue<[BatchProgress]>([])
                    let counter = ctx.step("creating ProgressCounter(total: 5)") {
                        impl.counterType.init(total: 5) { progress in reports.withLock { $0.append(progress) } }
                    }
                    let held = ctx.gate("the first task waits until every future is tracked")
                    let futures: [Future<Int>] = [
                        try pool.submit { held.wait(); return 0 },
                        try pool.submit { 1 },
                        try pool.submit { () -> Int in throw PlantedError("task 2 failed") },
                        try pool.submit { 3 },
                        try pool.submit { 4 },
                    ]
                    ctx.expectUnread(futures)
                    ctx.step("calling track(_:) on 5 futures of a 1-worker pool (the first is held back)") {
                        for future in futures { counter.track(future) }
                    }
                    futures[3].cancel()
                    held.open()
                    let allCounted = ctx.eventually { reports.withLock { $0.count } >= 5 }
                    let progress = ctx.step("reading progress") { counter.progress }
                    try requireEqual(progress, BatchProgress(total: 5, succeeded: 3, failed: 1, cancelled: 1), .result,
                        "after 3 tasks succeeded, 1 threw and 1 was cancelled, progress is wrong",
                        advice: "In the callback: `isCancelled` first (a cancelled future has no error to read), then `try? future.exception()` tells failed from succeeded.")
                    try require(allCounted, .result, "onChange was not called once per future",
                        expected: "5 calls", actual: "\(reports.withLock { $0.count }) calls")
                }
            },
            Scenario("a future that is already done is counted at once") { ctx in
                let reports = LockedValue<[BatchProgress]>([])
                let counter = impl.counterType.init(total: 3) { progress in reports.withLock { $0.append(progress) } }
                let succeeded = Future<Int>()
                try succeeded.setResult(1)
                let failed = Future<String>()
                try failed.setException(PlantedError("failed before it was tracked"))
                ctx.expectUnread([failed])
                let cancelled = Future<Int>()
                cancelled.cancel()
                let progress = ctx.step("tracking three futures that are already done, then reading progress") {
                    counter.track(succeeded)
                    counter.track(failed)
                    counter.track(cancelled)
                    return counter.progress
                }
                try requireEqual(progress, BatchProgress(total: 3, succeeded: 1, failed: 1, cancelled: 1), .result,
                    "futures that were already done when tracked were not counted at once",
                    advice: "`addDoneCallback` runs the callback at once when the future is already done: count in the callback, nowhere else.")
            },
            Scenario("exact under load: 2,000 futures on 4 workers, each step reported once", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let total = 2000
                    let counterBox = LockedValue<(any ProgressTracking)?>(nil)
                    let reportedDone = LockedValue<[Int]>([])
                    let counter = impl.counterType.init(total: total) { progress in
                        // A progress bar reads the counter when it hears of a change.
                        let current = counterBox.withLock { $0 }?.progress
                        reportedDone.withLock { $0.append(progress.done) }
                        _ = current
                    }
                    counterBox.withLock { $0 = counter }
                    defer { counterBox.withLock { $0 = nil } }  // the counter's onChange holds the box: break the cycle
                    let futures = try ctx.step("submitting 2,000 tasks to 4 workers and tracking each (onChange reads progress)") {
                        try (0..<total).map { index -> Future<Int> in
                            let future = try pool.submit { () -> Int in
                                if index % 10 == 3 { throw PlantedError("task \(index)") }
                                return index
                            }
                            counter.track(future)
                            ctx.expectUnread([future])
                            return future
                        }
                    }
                    _ = try ctx.step("waiting for the 2,000 tasks") { try wait(futures) }
                    _ = ctx.eventually { reportedDone.withLock { $0.count } >= total }
                    let progress = counter.progress
                    try requireEqual(progress, BatchProgress(total: total, succeeded: 1800, failed: 200), .threadSafety,
                        "counts went wrong with 4 workers finishing futures at the same time",
                        advice: "Every change must happen inside one `withLock { ... }` call; two separate calls (read, then write) lose updates.")
                    let reported = reportedDone.withLock { $0 }.sorted()
                    try requireEqual(reported.count, total, .threadSafety, "onChange must be called once per future")
                    try require(reported == Array(1...total), .threadSafety,
                        "onChange did not report each step from 1 to \(total) exactly once: some values of `done` were reported twice, others never",
                        advice: "Take the snapshot for onChange inside the same `withLock` that counts, then call onChange after it.")
                }
            },
        ]
    }
}
