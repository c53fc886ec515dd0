import ConcurrentFutures

/// 15b The same jobs with a TaskGroup: results in input order, at most `limit` at once yet
/// several, the first error cancels the running jobs and starts no new ones.
public enum Check15b: ExerciseCheck {
    public typealias Job = @Sendable (Int) async throws -> Int
    public struct Implementation: Sendable {
        public var runWithTaskGroup: @Sendable ([Int], Int, @escaping Job) async throws -> [Int]
        public init(runWithTaskGroup: @escaping @Sendable ([Int], Int, @escaping Job) async throws -> [Int]) {
            self.runWithTaskGroup = runWithTaskGroup
        }
    }

    public static let exerciseID = "15b"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("results in input order, at most `limit` jobs at once, several at once", async: { ctx in
                let probe = ConcurrencyProbe()
                let overlap = ctx.asyncRendezvous("two jobs running at the same time")
                let results = try await ctx.step("awaiting runWithTaskGroup(0..<20, limit: 3)") {
                    try await impl.runWithTaskGroup(Array(0..<20), 3) { input in
                        probe.enter()
                        defer { probe.leave() }
                        await overlap.arrive()
                        // Later inputs finish sooner, so that finishing order is not input order.
                        try await Task.sleep(for: .milliseconds(3 - input % 4))
                        return input * 3
                    }
                }
                try requireEqual(results, (0..<20).map { $0 * 3 }, .order,
                    "the results are wrong or not in input order",
                    advice: "Child tasks finish in any order: return each result with its index, and put it in its place.")
                try require(probe.peak <= 3, .limit, "more jobs ran at once than `limit` allows",
                    expected: "at most 3", actual: "\(probe.peak)",
                    advice: "Add `limit` tasks first, then one more each time `group.next()` gives a result.")
                try require(overlap.met, .concurrency, "the jobs ran one at a time")
            }),
            Scenario("the first error cancels the running jobs, starts no new ones, and is thrown", timeLimit: 8, async: { ctx in
                let log = EventLog()
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
                                throw PlantedError("job 2 failed")
                            default:
                                return input
                            }
                        }
                    }
                    throw CheckFailure(.errors, "runWithTaskGroup returned although job 2 failed")
                } catch let failure as CheckFailure {
                    throw failure
                } catch {
                    try require(isPlanted(error, "job 2 failed"), .errors, "runWithTaskGroup threw a different error",
                        expected: "PlantedError(job 2 failed)", actual: show(error))
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
