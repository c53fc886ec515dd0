import ConcurrentFutures
import ExerciseKit
import Foundation

/// An executor for 13a's checks: it runs each task on a pool, and reads the monitored executor's
/// counts at two moments that a real pool passes too quickly to see. After the task has run and
/// before its future completes, the counts must already include it ("up to date by the time the
/// future is done"). And `submit` returns only once the task has begun, so counting `submitted`
/// after the base executor's `submit` returned is seen as running ahead of submitted.
final class InspectingExecutor: Executor {
    let pool: ThreadPoolExecutor
    let monitored = LockedValue<(any MonitoredExecuting)?>(nil)
    /// The counts seen as each future was about to complete, in that order.
    let countsAtCompletion = LockedValue<[PoolCounts]>([])
    /// Signalled by the check's task of the submit under way (submits come one at a time).
    private let looked = LockedValue<DispatchSemaphore?>(nil)

    init(_ pool: ThreadPoolExecutor) { self.pool = pool }

    func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        let future = Future<T>()
        let started = DispatchSemaphore(value: 0)
        looked.withLock { $0 = started }
        try pool.submit { [self] in
            let result = Result { try task() }
            let counts = monitored.withLock { $0 }?.counts
            countsAtCompletion.withLock { if let counts { $0.append(counts) } }
            switch result {
            case .success(let value): try? future.setResult(value)
            case .failure(let error): try? future.setException(error)
            }
        }
        // The check's task signals once it has looked; wait at most a moment (an implementation
        // that holds its lock around this call keeps the task from looking).
        _ = started.wait(timeout: .now() + 1)
        return future
    }

    /// Called by the check's task, once it has looked at the counts.
    func taskHasLooked() { looked.withLock { $0 }?.signal() }

    func shutdown(wait: Bool, cancelFutures: Bool) { pool.shutdown(wait: wait, cancelFutures: cancelFutures) }
}

/// 13a A monitored executor: counts while running (tasks overlap: no lock held while a task
/// runs), up to date the moment each future completes, submitted counted before a task can
/// start, cancelled ones counted (and only those), map goes through it, exact under load,
/// refused submits not counted.
public enum Check13a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var executorType: any MonitoredExecuting.Type
        public init(executorType: any MonitoredExecuting.Type) { self.executorType = executorType }
    }

    public static let exerciseID = "13a"

    /// Fails with `.threadSafety` when the counts contradict each other in a way only a lost
    /// update explains: a task that ended more often than it started, or an end not counted.
    static func requireNoLostUpdate(_ counts: PoolCounts) throws {
        let ended = counts.completed + counts.failed + counts.cancelled
        try require(counts.running >= 0 && counts.submitted <= ended + counts.running, .threadSafety,
            "the counts contradict each other (\(counts)): some changes were lost when two threads changed them at once",
            advice: "Every change inside `state.withLock { ... }`, each one in a single call (a read and a write in two calls lose updates). `swift run workbook check 13a --tsan` shows races.")
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("counts submitted and running while tasks run side by side, completed and failed when they end", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let held = ctx.gate("the tasks are held until the check has looked", timeout: 4)
                    let started = EventLog()
                    let futures = try ctx.step("submitting 3 tasks through MonitoredExecutor to a pool of 2 workers") {
                        try (0..<3).map { number in
                            try monitored.submit { () -> Int in
                                started.record("\(number)")
                                held.wait()
                                if number == 1 { throw PlantedError("task 1 failed") }
                                return number
                            }
                        }
                    }
                    ctx.expectUnread(futures)
                    // Both started while the first was still held: a `submit` that waits for a lock
                    // a running task holds returns only once the gate has timed out, and then the
                    // second task starts after the first has ended, not beside it.
                    let bothRunning = ctx.eventually(timeout: 2) { started.all.count == 2 } && !held.timedOut
                    if !bothRunning { held.open() }  // before reading the counts: their lock may be held by the running task
                    let whileRunning = monitored.counts
                    held.open()
                    try require(bothRunning, .concurrency,
                        "only one task ran at a time through MonitoredExecutor, on a pool of 2 workers",
                        advice: "Hold your lock only to change the counts, never while the task runs: a task run inside `withLock` keeps every other task (and every count) waiting.")
                    try requireEqual(whileRunning, PoolCounts(submitted: 3, running: 2), .result,
                        "with 2 of 3 tasks running, the counts are wrong",
                        advice: "Count `submitted` in submit; `running` when the wrapped task starts.")
                    _ = try wait(futures)
                    _ = ctx.eventually { monitored.counts == PoolCounts(submitted: 3, completed: 2, failed: 1) }
                    try requireNoLostUpdate(monitored.counts)
                    try requireEqual(monitored.counts, PoolCounts(submitted: 3, completed: 2, failed: 1), .result,
                        "once every task had ended, the counts are wrong",
                        advice: "A task that throws is failed (and no longer running): decrement `running` on both paths.")
                }
            },
            Scenario("up to date the moment each future completes, and submitted counted before its task can start") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let base = InspectingExecutor(pool)
                    let monitored = impl.executorType.init(wrapping: base)
                    base.monitored.withLock { $0 = monitored }
                    defer { base.monitored.withLock { $0 = nil } }
                    let seenWhileRunning = LockedValue<[PoolCounts]>([])
                    let futures = try ctx.step("submitting 4 tasks through MonitoredExecutor (one at a time: 1 worker)") {
                        try (0..<4).map { number in
                            try monitored.submit { () -> Int in
                                seenWhileRunning.withLock { $0.append(monitored.counts) }
                                base.taskHasLooked()
                                if number % 2 == 1 { throw PlantedError("task \(number) failed") }
                                return number
                            }
                        }
                    }
                    ctx.expectUnread(futures)
                    _ = try wait(futures)
                    for (number, counts) in seenWhileRunning.withLock({ $0 }).enumerated() where counts.running > counts.submitted {
                        throw CheckFailure(.result,
                            "while task \(number) ran, `running` was ahead of `submitted`: \(counts)",
                            advice: "Count `submitted` before handing the task to the base executor (it may start at once), and take it back if `base.submit` throws.")
                    }
                    let atCompletion = base.countsAtCompletion.withLock { $0 }
                    for (index, counts) in atCompletion.enumerated() where counts.completed + counts.failed < index + 1 || counts.running > 0 {
                        throw CheckFailure(.result,
                            "task \(index) had returned and its future was about to complete, but the counts did not include it yet: \(counts)",
                            expected: "\(index + 1) tasks completed or failed, none running",
                            advice: "Count completed and failed (and `running -= 1`) inside the wrapped task, before it returns or rethrows. A done-callback runs after the future is done: when `result()` has already returned, a moment too late.")
                    }
                    try requireEqual(atCompletion.count, 4, .result, "every task must run through the base executor")
                }
            },
            Scenario("cancelled tasks are counted as cancelled; a task that cannot be cancelled is not") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let held = ctx.gate("the first task is held until the others are cancelled")
                    let first = try monitored.submit { held.wait(); return 0 }
                    let queued = try (1...3).map { number in try monitored.submit { number } }
                    _ = ctx.eventually { first.isRunning }
                    ctx.step("cancelling 2 of 3 queued tasks, and trying to cancel the running one") {
                        queued[0].cancel()
                        queued[2].cancel()
                        first.cancel()
                    }
                    let counted = ctx.eventually { monitored.counts.cancelled == 2 }
                    held.open()
                    _ = try wait([first] + queued)
                    try require(counted, .cancellation, "2 queued tasks were cancelled, but `cancelled` did not say so",
                        expected: "cancelled 2", actual: "\(monitored.counts)",
                        advice: "A cancelled task never runs: add a done-callback to each future and count it there when `isCancelled`.")
                    _ = ctx.eventually { monitored.counts.completed == 2 }
                    try requireNoLostUpdate(monitored.counts)
                    try requireEqual(monitored.counts, PoolCounts(submitted: 4, completed: 2, cancelled: 2), .result,
                        "after 2 tasks ran (one of them could not be cancelled: it was running) and 2 were cancelled, the counts are wrong")
                }
            },
            Scenario("exact under load: 4 threads submit 1,000 tasks each at once to 4 workers, 5 rounds", timeLimit: 20) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    var expected = PoolCounts()
                    for round in 1...5 {
                        let start = ctx.rendezvous("round \(round): the 4 submitting threads start together", parties: 4)
                        let futures = LockedValue<[Future<Int>]>([])
                        let submitted = DispatchGroup()
                        for thread in 0..<4 {
                            submitted.enter()
                            Thread {
                                start.arrive()
                                for number in 0..<1000 {
                                    if let future = try? monitored.submit({ () -> Int in
                                        if number % 3 == 0 { throw PlantedError("task \(thread).\(number)") }
                                        return number
                                    }) {
                                        futures.withLock { $0.append(future) }
                                    }
                                }
                                submitted.leave()
                            }.start()
                        }
                        ctx.step("round \(round): 4 threads submitting 1,000 tasks each, a third of which throw") { submitted.wait() }
                        let all = futures.withLock { $0 }
                        ctx.expectUnread(all)
                        _ = try wait(all)
                        expected.submitted += 4000
                        expected.completed += 2664
                        expected.failed += 1336
                        let target = expected
                        _ = ctx.eventually(timeout: 1) { monitored.counts == target }
                        try requireEqual(monitored.counts, expected, .threadSafety,
                            "the counts went wrong with 4 threads submitting and 4 workers running tasks at once (round \(round) of 5)",
                            advice: "Every change inside `state.withLock { ... }`, each one in a single call (a read and a write in two calls lose updates). `swift run workbook check 13a --tsan` shows races.")
                    }
                }
            },
            Scenario("map goes through submit, so it is counted too") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let doubled = try ctx.step("calling monitored.map(1...50) { $0 * 2 }") {
                        try Array(monitored.map(1...50) { $0 * 2 })
                    }
                    try requireEqual(doubled, (1...50).map { $0 * 2 }, .result, "map through the monitored executor gave wrong results")
                    _ = ctx.eventually { monitored.counts.completed == 50 }
                    try requireNoLostUpdate(monitored.counts)
                    try requireEqual(monitored.counts, PoolCounts(submitted: 50, completed: 50), .result,
                        "map's 50 tasks were not all counted")
                }
            },
            Scenario("a submit refused after shutdown is not counted") { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                let monitored = impl.executorType.init(wrapping: pool)
                _ = try monitored.submit { 1 }.result()
                monitored.shutdown(wait: true, cancelFutures: false)
                let error = try requireThrows(.shutdown, "submit after shutdown was accepted") { try monitored.submit { 2 } }
                try require(error is ShutdownError, .errors, "submit after shutdown must throw the pool's ShutdownError",
                    expected: "ShutdownError", actual: "\(show(error)) (\(type(of: error)))")
                _ = ctx.eventually { monitored.counts.completed == 1 }
                try requireEqual(monitored.counts, PoolCounts(submitted: 1, completed: 1), .result,
                    "a task the pool refused was counted as submitted",
                    advice: "If `base.submit` throws, take your `submitted += 1` back (or count only after it succeeded, before the task can start).")
            },
        ]
    }
}
