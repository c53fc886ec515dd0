import ConcurrentFutures
import ExerciseKit

/// 05b Fail fast: results in job order; on the first failure (in time), throw at once with that
/// job (its value, not its position) and its own error, cancel the queue, leave the caller's pool
/// open.
public enum Check05b: ExerciseCheck {
    public typealias Run = @Sendable (Int) throws -> Int
    public struct Implementation: Sendable {
        public var runAllOrFailFast: @Sendable ([Int], ThreadPoolExecutor, @escaping Run) throws -> [Int]
        public init(runAllOrFailFast: @escaping @Sendable ([Int], ThreadPoolExecutor, @escaping Run) throws -> [Int]) {
            self.runAllOrFailFast = runAllOrFailFast
        }
    }

    public static let exerciseID = "05b"
    /// The failure, the queued jobs cancelled, the slow ones left running: all on one picture.
    public static let timeline = TimelineChoice.scenario(1)

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("every job succeeds: results in job order, jobs run at the same time on the pool it is given") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let overlap = ctx.rendezvous("two jobs running at the same time")
                    let witness = ThreadWitness()
                    let jobs = [7, 3, 9, 1, 3, 8, 2, 6]
                    let results = try ctx.step("calling runAllOrFailFast(\(jobs), on: a pool of 3 workers)") {
                        try impl.runAllOrFailFast(jobs, pool) { job in
                            ctx.labelTask("j\(job)")
                            witness.note()
                            overlap.arrive()
                            return job * job
                        }
                    }
                    try requireRanOnPool(witness, pool, "a job")
                    try requireEqual(results, jobs.map { $0 * $0 }, .order, "the results are wrong or not in job order")
                    try require(overlap.met, .concurrency, "the jobs ran one at a time",
                        advice: "Submit every job before you wait for any.")
                    let none = try ctx.step("calling runAllOrFailFast([])") { try impl.runAllOrFailFast([], pool) { $0 } }
                    try requireEqual(none, [], .result, "no jobs, no results")
                }
            },
            Scenario("the first failure is thrown at once with its job, and the queued jobs never run", timeLimit: 8) { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                // With 2 workers: job 20 is slow, job 21 fails at once, its worker takes job 22
                // (slow too), and jobs 23, 24, 25 are still queued when job 21 fails.
                let slow = ctx.gate("jobs 20 and 22 finish only after runAllOrFailFast has returned")
                let planted = PlantedError("job 21 broke")
                let ran = EventLog()
                let error = try ctx.step("calling runAllOrFailFast([20, 21, 22, 23, 24, 25], on: a pool of 2 workers) where job 21 fails") {
                    try requireThrows(.errors, "runAllOrFailFast returned although job 21 failed") {
                        try impl.runAllOrFailFast([20, 21, 22, 23, 24, 25], pool) { job in
                            ctx.labelTask("j\(job)")
                            ran.record("\(job)")
                            if job == 21 { throw planted }
                            if job == 20 || job == 22 { slow.wait() }
                            return job
                        }
                    }
                }
                let waited = slow.timedOut
                slow.open()
                ctx.shutDown(pool)
                try require(!waited, .promptness,
                    "runAllOrFailFast waited for the slow jobs 20 and 22 before it reported job 21's failure (the check held them until runAllOrFailFast returned, and gave up after \(Int(2 * ctx.timeScale)) s)",
                    advice: "`wait(futures, returnWhen: .firstException)` returns as soon as one future throws. Collecting results in order waits for job 20 first; so does `exception()` on a future still running.")
                guard let failed = error as? JobFailed else {
                    throw CheckFailure(.errors, "runAllOrFailFast threw the wrong error",
                        expected: "JobFailed(job: 21, error: \(planted))", actual: "\(show(error)) (\(type(of: error)))",
                        advice: "Wrap the job's error with the job it belongs to: `throw JobFailed(job: job, error: error)`.")
                }
                try requireEqual(failed.job, 21, .errors, "JobFailed names the wrong job",
                    advice: "`job` is the job itself (the element of `jobs`), not its position: `zip(jobs, futures)` pairs them.")
                try require(isPlanted(failed.error, planted), .errors, "JobFailed must carry the job's own error",
                    expected: "\(planted)", actual: show(failed.error))
                let queuedThatRan = ["23", "24", "25"].filter { ran.contains($0) }
                try require(queuedThatRan.isEmpty, .cancellation,
                    "jobs \(queuedThatRan.joined(separator: ", ")) were still queued when job 21 failed, and they ran anyway",
                    advice: "Before throwing, `cancel()` every future: the queued ones then never run.")
            },
            Scenario("two jobs fail: the first to fail is thrown, even when it comes later in the list; the caller's pool stays open") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let early = PlantedError("job 33 failed first")
                    let late = PlantedError("job 31 failed later")
                    let held = ctx.gate("job 31 fails only after runAllOrFailFast has returned")
                    let error = try ctx.step("calling runAllOrFailFast([30, 31, 32, 33]) where job 33 fails, and job 31 fails later") {
                        try requireThrows(.errors, "runAllOrFailFast returned although two jobs failed") {
                            try impl.runAllOrFailFast([30, 31, 32, 33], pool) { job in
                                switch job {
                                case 33: throw early
                                case 31: held.wait(); throw late
                                default: return job
                                }
                            }
                        }
                    }
                    let waited = held.timedOut
                    held.open()
                    try require(!waited, .promptness,
                        "runAllOrFailFast waited for job 31 (still running) after job 33 had failed",
                        advice: "Throw as soon as one job has failed: look only at the futures that are done.")
                    let failed = error as? JobFailed
                    try require(failed?.job == 33 && isPlanted(failed?.error, early), .errors,
                        "runAllOrFailFast must throw the failure that happened first: job 33's",
                        expected: "JobFailed(job: 33, error: \(early))", actual: "\(show(error))")
                    let stillOpen = (try? pool.submit { 1 }.result()) == 1
                    try require(stillOpen, .shutdown, "after runAllOrFailFast, the caller's pool no longer accepted work: it was shut down",
                        advice: "Cancel the futures one by one (`future.cancel()`); the pool belongs to the caller.")
                }
            },
        ]
    }
}
