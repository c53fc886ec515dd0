import ConcurrentFutures
import ExerciseKit

/// 05b Fail fast: results in order; on an error, throw at once with its job, cancel the queue.
public enum Check05b: ExerciseCheck {
    public typealias Run = @Sendable (Int) throws -> Int
    public struct Implementation: Sendable {
        public var runAllOrFailFast: @Sendable ([Int], ThreadPoolExecutor, @escaping Run) throws -> [Int]
        public init(runAllOrFailFast: @escaping @Sendable ([Int], ThreadPoolExecutor, @escaping Run) throws -> [Int]) {
            self.runAllOrFailFast = runAllOrFailFast
        }
    }

    public static let exerciseID = "05b"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("every job succeeds: results in job order, jobs run at the same time") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let overlap = ctx.rendezvous("two jobs running at the same time")
                    let results = try ctx.step("calling runAllOrFailFast([1, ..., 8], on: a pool of 3 workers)") {
                        try impl.runAllOrFailFast(Array(1...8), pool) { job in
                            overlap.arrive()
                            return job * job
                        }
                    }
                    try requireEqual(results, (1...8).map { $0 * $0 }, .order, "the results are wrong or not in job order")
                    try require(overlap.met, .concurrency, "the jobs ran one at a time",
                        advice: "Submit every job before you wait for any.")
                }
            },
            Scenario("the first failure is thrown at once with its job, and the queued jobs never run", timeLimit: 8) { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                // With 2 workers: job 0 is slow, job 1 fails at once, its worker takes job 2
                // (slow too), and jobs 3, 4, 5 are still queued when job 1 fails.
                let slow = ctx.gate("jobs 0 and 2 finish only after runAllOrFailFast has returned")
                let ran = EventLog()
                let error = try ctx.step("calling runAllOrFailFast([0, 1, 2, 3, 4, 5], on: a pool of 2 workers) where job 1 fails") {
                    try requireThrows(.errors, "runAllOrFailFast returned although job 1 failed") {
                        try impl.runAllOrFailFast([0, 1, 2, 3, 4, 5], pool) { job in
                            ran.record("\(job)")
                            if job == 1 { throw PlantedError("job 1 broke") }
                            if job == 0 || job == 2 { slow.wait() }
                            return job
                        }
                    }
                }
                let waited = slow.timedOut
                slow.open()
                ctx.shutDown(pool)
                guard let failed = error as? JobFailed else {
                    throw CheckFailure(.errors, "runAllOrFailFast threw the wrong error",
                        expected: "JobFailed(job: 1, error: PlantedError(job 1 broke))", actual: show(error),
                        advice: "Wrap the job's error with the job it belongs to: `throw JobFailed(job: job, error: error)`.")
                }
                try requireEqual(failed.job, 1, .errors, "JobFailed names the wrong job")
                try require(isPlanted(failed.error, "job 1 broke"), .errors, "JobFailed must carry the job's own error",
                    expected: "PlantedError(job 1 broke)", actual: show(failed.error))
                try require(!waited, .promptness,
                    "runAllOrFailFast waited for the slow jobs 0 and 2 before it reported job 1's failure (the check held them until runAllOrFailFast returned, and gave up after \(Int(2 * ctx.timeScale)) s)",
                    advice: "`wait(futures, returnWhen: .firstException)` returns as soon as one future throws. Collecting results in order waits for job 0 first.")
                let queuedThatRan = ["3", "4", "5"].filter { ran.contains($0) }
                try require(queuedThatRan.isEmpty, .cancellation,
                    "jobs \(queuedThatRan.joined(separator: ", ")) were still queued when job 1 failed, and they ran anyway",
                    advice: "Before throwing, `cancel()` every future: the queued ones then never run.")
            },
        ]
    }
}
