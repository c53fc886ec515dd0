import ConcurrentFutures
import ExerciseKit
import Foundation

/// 06a A progress counter fed by callbacks: right counts, already-done futures, exact when many
/// threads finish futures at the same moment (the check releases them together, round after
/// round, and reads the counts only once every callback has run), each step reported once,
/// onChange may read the counter.
public enum Check06a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var counterType: any ProgressTracking.Type
        public init(counterType: any ProgressTracking.Type) { self.counterType = counterType }
    }

    public static let exerciseID = "06a"

    static let tsanAdvice = " `swift run workbook check 06a --tsan` shows where two threads touch the counts at once."

    /// A counter whose onChange does what a progress bar does: it reads `progress` when it
    /// hears of a change (so calling onChange under the lock deadlocks at once), and keeps every
    /// report. Call `release()` when done: onChange holds the counter.
    final class Reporting: Sendable {
        let counter: any ProgressTracking
        private let box: LockedValue<(any ProgressTracking)?>
        private let reported: LockedValue<[BatchProgress]>

        init(_ type: any ProgressTracking.Type, total: Int) {
            let box = LockedValue<(any ProgressTracking)?>(nil)
            let reported = LockedValue<[BatchProgress]>([])
            let counter = type.init(total: total) { progress in
                _ = box.withLock { $0 }?.progress
                reported.withLock { $0.append(progress) }
            }
            box.withLock { $0 = counter }
            (self.counter, self.box, self.reported) = (counter, box, reported)
        }

        var reports: [BatchProgress] { reported.withLock { $0 } }
        func release() { box.withLock { $0 = nil } }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("counts succeeded, failed and cancelled futures, and reports each count") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let reporting = ctx.step("creating ProgressCounter(total: 5), whose onChange reads progress") {
                        Reporting(impl.counterType, total: 5)
                    }
                    defer { reporting.release() }
                    let counter = reporting.counter
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
                    _ = try wait(futures)
                    _ = ctx.eventually { reporting.reports.count >= 5 }
                    let progress = ctx.step("reading progress") { counter.progress }
                    try requireEqual(progress, BatchProgress(total: 5, succeeded: 3, failed: 1, cancelled: 1), .result,
                        "after 3 tasks succeeded, 1 threw and 1 was cancelled, progress is wrong",
                        advice: "In the callback: `isCancelled` first (a cancelled future has no error to read: `exception()` throws CancelledError), then `try? future.exception()` tells failed from succeeded.")
                    let seen = reporting.reports
                    try requireEqual(seen.count, 5, .result, "onChange must be called once per tracked future, after it is counted",
                        advice: "Call onChange in the done-callback, after every count, with the progress the count produced.")
                    try requireEqual(seen.map(\.done).sorted(), [1, 2, 3, 4, 5], .result,
                        "onChange must report the progress after each count: done 1, 2, 3, 4, 5",
                        advice: "Pass onChange the progress as it is right after your count (a copy taken under the lock).")
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
                try requireEqual(reports.withLock { $0.count }, 3, .result, "onChange must be called for each of them too")
            },
            Scenario("exact when 8 threads finish futures at the same moment, 40 rounds, 16,000 futures; each step reported once", timeLimit: 20) { ctx in
                let (threads, perThread, rounds) = (8, 50, 40)
                let total = threads * perThread * rounds
                let reporting = Reporting(impl.counterType, total: total)
                defer { reporting.release() }
                let counter = reporting.counter
                var expected = BatchProgress(total: total)
                for round in 1...rounds {
                    // Every callback of this round runs on one of the 8 finishing threads, which
                    // the rendezvous releases together: the callbacks overlap on purpose.
                    let batches = (0..<threads).map { _ in (0..<perThread).map { _ in Future<Int>() } }
                    ctx.step("round \(round) of \(rounds): tracking \(threads * perThread) futures") {
                        for future in batches.joined() { counter.track(future) }
                    }
                    for (thread, batch) in batches.enumerated() {
                        for index in batch.indices {
                            switch (index + thread) % 10 {
                            case 3: expected.failed += 1
                            case 7: expected.cancelled += 1
                            default: expected.succeeded += 1
                            }
                        }
                    }
                    let start = ctx.rendezvous("round \(round): the \(threads) finishing threads start together", parties: threads)
                    let finished = DispatchGroup()
                    for (thread, batch) in batches.enumerated() {
                        let error = PlantedError("a failed task of thread \(thread)")
                        finished.enter()
                        Thread {
                            start.arrive()
                            for (index, future) in batch.enumerated() {
                                switch (index + thread) % 10 {
                                case 3: try? future.setException(error)
                                case 7: future.cancel()
                                default: try? future.setResult(index)
                                }
                            }
                            finished.leave()
                        }.start()
                    }
                    ctx.step("round \(round) of \(rounds): \(threads) threads finishing futures at once (their callbacks run on them)") {
                        finished.wait()
                    }
                    ctx.expectUnread(Array(batches.joined()))
                }
                // Every finishing thread has returned: every callback has run. Nothing is left to luck.
                let progress = ctx.step("reading progress") { counter.progress }
                try requireEqual(progress, expected, .threadSafety,
                    "counts went wrong with 8 threads finishing futures at the same time",
                    advice: "Every change must happen inside one `withLock { ... }` call; two separate calls (read, then write) lose updates, and so do counts kept outside the lock." + tsanAdvice)
                let reports = reporting.reports
                try requireEqual(reports.count, total, .threadSafety, "onChange must be called once per future, \(total) times",
                    advice: "Call onChange once in every callback, after the count.")
                let done = reports.map(\.done).sorted()
                if done != Array(1...total) {
                    var seen = Set<Int>()
                    let twice = done.filter { !seen.insert($0).inserted }
                    throw CheckFailure(.threadSafety,
                        "onChange did not report each step from 1 to \(total) exactly once: \(twice.count) values of `done` were reported twice (such as \(twice.prefix(3).map(String.init).joined(separator: ", "))), others never",
                        advice: "Take the copy for onChange inside the same `withLock` that counts, then call onChange after it; reading `progress` again later may already include another thread's count." + tsanAdvice)
                }
                try require(reports.allSatisfy { $0.total == total }, .result, "every progress reported must have the total given to init")
            },
        ]
    }
}
