import ConcurrentFutures
import ExerciseKit

/// 13a A monitored executor: counts while running, up to date when futures are done, cancelled
/// ones counted, map goes through it, exact under load, refused submits not counted.
public enum Check13a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var executorType: any MonitoredExecuting.Type
        public init(executorType: any MonitoredExecuting.Type) { self.executorType = executorType }
    }

    public static let exerciseID = "13a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("counts submitted and running while tasks run, completed and failed when their futures are done") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let held = ctx.gate("the tasks are held until the check has looked")
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
                    _ = ctx.eventually { started.all.count == 2 }
                    try requireEqual(monitored.counts, PoolCounts(submitted: 3, running: 2), .result,
                        "with 2 of 3 tasks running, the counts are wrong",
                        advice: "Count `submitted` in submit; `running` when the wrapped task starts.")
                    held.open()
                    _ = try wait(futures)
                    try requireEqual(monitored.counts, PoolCounts(submitted: 3, completed: 2, failed: 1), .result,
                        "once every future was done, the counts did not yet include every task's end",
                        advice: "Count completed and failed inside the wrapped task, before it returns or rethrows: a done-callback runs only after the future's waiters were woken.")
                }
            },
            Scenario("cancelled tasks are counted as cancelled") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let held = ctx.gate("the first task is held until the others are cancelled")
                    let first = try monitored.submit { held.wait(); return 0 }
                    let queued = try (1...3).map { number in try monitored.submit { number } }
                    ctx.step("cancelling 2 of 3 queued tasks") {
                        queued[0].cancel()
                        queued[2].cancel()
                    }
                    let counted = ctx.eventually { monitored.counts.cancelled == 2 }
                    held.open()
                    _ = try wait([first] + queued)
                    try require(counted, .cancellation, "2 queued tasks were cancelled, but `cancelled` did not say so",
                        expected: "cancelled 2", actual: "\(monitored.counts)",
                        advice: "A cancelled task never runs: add a done-callback to each future and count it there when `isCancelled`.")
                    try requireEqual(monitored.counts, PoolCounts(submitted: 4, completed: 2, cancelled: 2), .result,
                        "after 2 tasks ran and 2 were cancelled, the counts are wrong")
                }
            },
            Scenario("map goes through submit, so it is counted too") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let doubled = try ctx.step("calling monitored.map(1...50) { $0 * 2 }") {
                        try Array(monitored.map(1...50) { $0 * 2 })
                    }
                    try requireEqual(doubled, (1...50).map { $0 * 2 }, .result, "map through the monitored executor gave wrong results")
                    try requireEqual(monitored.counts, PoolCounts(submitted: 50, completed: 50), .result,
                        "map's 50 tasks were not all counted")
                }
            },
            Scenario("exact under load: 3,000 tasks on 4 workers") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let monitored = impl.executorType.init(wrapping: pool)
                    let futures = try ctx.step("submitting 3,000 tasks, a third of which throw") {
                        try (0..<3000).map { number in
                            try monitored.submit { () -> Int in
                                if number % 3 == 0 { throw PlantedError("task \(number)") }
                                return number
                            }
                        }
                    }
                    ctx.expectUnread(futures)
                    _ = try wait(futures)
                    try requireEqual(monitored.counts, PoolCounts(submitted: 3000, completed: 2000, failed: 1000), .threadSafety,
                        "the counts went wrong with 4 workers updating them at once",
                        advice: "Every change inside `state.withLock { ... }`, each one in a single call.")
                }
            },
            Scenario("a submit refused after shutdown is not counted") { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                let monitored = impl.executorType.init(wrapping: pool)
                _ = try monitored.submit { 1 }.result()
                monitored.shutdown(wait: true, cancelFutures: false)
                let error = try requireThrows(.shutdown, "submit after shutdown was accepted") { try monitored.submit { 2 } }
                try require(error is ShutdownError, .errors, "submit after shutdown must throw the pool's ShutdownError",
                    expected: "ShutdownError", actual: show(error))
                try requireEqual(monitored.counts, PoolCounts(submitted: 1, completed: 1), .result,
                    "a task the pool refused was counted as submitted",
                    advice: "If `base.submit` throws, take your `submitted += 1` back (or count only after it succeeded, before the task can start).")
            },
        ]
    }
}
