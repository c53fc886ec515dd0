import ConcurrentFutures

/// 15b The same jobs with a TaskGroup: results in input order (inputs that are not their
/// positions, and repeat), at most `limit` at once yet several, a finished job replaced at once
/// (not batches), limits of 1 and above the count, the first error cancels the running jobs and
/// starts no new ones.
public enum Check15b: ExerciseCheck {
    public typealias Job = @Sendable (Int) async throws -> Int
    public struct Implementation: Sendable {
        public var runWithTaskGroup: @Sendable ([Int], Int, @escaping Job) async throws -> [Int]
        public init(runWithTaskGroup: @escaping @Sendable ([Int], Int, @escaping Job) async throws -> [Int]) {
            self.runWithTaskGroup = runWithTaskGroup
        }
    }

    public static let exerciseID = "15b"
    /// A task group has no pool: its child tasks are drawn on lanes.
    public static let timeline = TimelineChoice.scenario(0, note:
        "A task group has no pool and no worker threads of its own: each lane holds one child task at a time"
            + " (labelled with its input), so the number of lanes is the most jobs that ran at once.")

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("results in input order, at most `limit` jobs at once, several at once", async: { ctx in
                let probe = ConcurrencyProbe()
                let overlap = ctx.asyncRendezvous("two jobs running at the same time")
                let inputs = [7, 3, 9, 3, 12, 5, 0, 8, 11, 2, 6, 4, 10, 1, 13, 9, 15, 14, 7, 16]
                let results = try await ctx.step("awaiting runWithTaskGroup(\(inputs), limit: 3)") {
                    try await impl.runWithTaskGroup(inputs, 3) { input in
                        try await ctx.recordWork("\(input)") {
                            probe.enter()
                            defer { probe.leave() }
                            await overlap.arrive()
                            // Later inputs finish sooner, so that finishing order is not input order.
                            try await Task.sleep(for: .milliseconds(3 - input % 4))
                            return input * 3
                        }
                    }
                }
                try require(probe.peak <= 3, .limit, "more jobs ran at once than `limit` allows",
                    expected: "at most 3", actual: "\(probe.peak)",
                    advice: "Add `limit` tasks first, then one more each time `group.next()` gives a result.")
                try requireEqual(results, inputs.map { $0 * 3 }, .order,
                    "the results are wrong or not in input order",
                    advice: "Child tasks finish in any order: return each result with its position, and put it in its place.")
                try require(overlap.met, .concurrency, "the jobs ran one at a time")
                try requireEqual(probe.calls, inputs.count, .result, "each input must be run exactly once")
            }),
            Scenario("a job that finishes is replaced at once: one slow job does not hold the others back", timeLimit: 8, async: { ctx in
                // Job 100 lasts until every other job is done; with a sliding window the other
                // two places keep turning. Batches of `limit` would wait for job 100 first.
                let others = LockedValue(0)
                let inputs = [100] + Array(1...9)
                let results = try await ctx.step("awaiting runWithTaskGroup([100, 1, ..., 9], limit: 3) where job 100 is slow") {
                    try await impl.runWithTaskGroup(inputs, 3) { input in
                        if input == 100 {
                            let replaced = await ctx.eventually(timeout: 2) { others.withLock { $0 } == 9 }
                            if !replaced { throw CheckFailure(.concurrency,
                                "while job 100 ran, the other jobs did not keep its two neighbours' places busy: \(others.withLock { $0 }) of 9 finished",
                                advice: "Start one more job each time one finishes (`group.next()`), not a new batch when a whole batch is done.") }
                        } else {
                            others.withLock { $0 += 1 }
                        }
                        return input
                    }
                }
                try requireEqual(results, inputs, .order, "the results are wrong or not in input order")
            }),
            Scenario("limits of 1 and above the count; no inputs", async: { ctx in
                for (inputs, limit) in [([4, 2, 8], 1), ([6, 1], 5), ([], 3)] {
                    let probe = ConcurrencyProbe()
                    let results = try await ctx.step("awaiting runWithTaskGroup(\(inputs), limit: \(limit))") {
                        try await impl.runWithTaskGroup(inputs, limit) { input in
                            probe.enter()
                            defer { probe.leave() }
                            await Task.yield()
                            return input + 1
                        }
                    }
                    try requireEqual(results, inputs.map { $0 + 1 }, .result, "the results of \(inputs) with limit \(limit) are wrong")
                    try require(probe.peak <= limit, .limit, "more jobs ran at once than a limit of \(limit) allows",
                        expected: "at most \(limit)", actual: "\(probe.peak)")
                }
            }),
            Scenario("the first error cancels the running jobs, starts no new ones, and is thrown", timeLimit: 8, async: { ctx in
                let log = EventLog()
                let planted = PlantedError("job 2 failed")
                do {
                    _ = try await ctx.step("awaiting runWithTaskGroup(0..<10, limit: 3) where job 2 fails while jobs 0 and 1 run") {
                        try await impl.runWithTaskGroup(Array(0..<10), 3) { input in
                            log.record("started \(input)")
                            switch input {
                            case 0, 1:
                                do {
                                    try await Task.sleep(for: ctx.seconds(3))
                                } catch {
                                    log.record("cancelled \(input)")
                                    throw error
                                }
                                return input
                            case 2:
                                _ = await ctx.eventually { log.contains("started 0") && log.contains("started 1") }
                                throw planted
                            default:
                                return input
                            }
                        }
                    }
                    throw CheckFailure(.errors, "runWithTaskGroup returned although job 2 failed")
                } catch let failure as CheckFailure {
                    throw failure
                } catch {
                    try require(isPlanted(error, planted), .errors, "runWithTaskGroup threw a different error",
                        expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                }
                try require(log.contains("cancelled 0") && log.contains("cancelled 1"), .cancellation,
                    "jobs 0 and 1 were still running when job 2 failed, and they were not cancelled",
                    advice: "Let the error leave the task group's closure: the group then cancels its running child tasks.")
                let startedLater = (3..<10).filter { log.contains("started \($0)") }
                try require(startedLater.isEmpty, .cancellation,
                    "jobs \(startedLater.map(String.init).joined(separator: ", ")) were started after job 2 had failed",
                    advice: "Start a new job only after `group.next()` returned a result; when it throws, stop.")
            }),
        ]
    }
}
