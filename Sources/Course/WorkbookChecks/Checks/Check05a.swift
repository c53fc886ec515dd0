import ConcurrentFutures
import ExerciseKit

/// 05a First good answer wins: every replica queried once on the caller's pool; returns the
/// first good answer at once (promptness is checked first: it is the usual mistake); skips
/// failures; cancels the queued queries; all failed: each replica with its own error, however
/// the failures are ordered in time.
public enum Check05a: ExerciseCheck {
    public typealias Query = @Sendable (String) throws -> Int
    public struct Implementation: Sendable {
        public var firstGoodAnswer: @Sendable ([String], ThreadPoolExecutor, @escaping Query) throws -> Answer
        public init(firstGoodAnswer: @escaping @Sendable ([String], ThreadPoolExecutor, @escaping Query) throws -> Answer) {
            self.firstGoodAnswer = firstGoodAnswer
        }
    }

    public static let exerciseID = "05a"

    /// Calls firstGoodAnswer where every query fails, and checks that each replica's own error
    /// was kept.
    static func requireAllFailed(
        _ impl: Implementation, _ ctx: CheckContext, _ replicas: [String], _ pool: ThreadPoolExecutor,
        step: String, query: @escaping Query, errors planted: [String: PlantedError]
    ) throws {
        let queried = EventLog()
        let error = try ctx.step(step) {
            try requireThrows(.errors, "firstGoodAnswer returned although every replica failed") {
                try impl.firstGoodAnswer(replicas, pool) { replica in
                    queried.record(replica)
                    return try query(replica)
                }
            }
        }
        try requireEqual(queried.all.sorted(), replicas.sorted(), .result, "each replica must be queried exactly once",
            advice: "A replica that failed is skipped, not asked again.")
        guard let all = error as? AllReplicasFailed else {
            throw CheckFailure(.errors, "firstGoodAnswer threw the wrong error when every replica failed",
                expected: "AllReplicasFailed(errors: [\(replicas.map { "\($0): ..." }.joined(separator: ", "))])",
                actual: "\(show(error)) (\(type(of: error)))",
                advice: "Keep each failed replica's error in a `[String: any Error]`, and throw `AllReplicasFailed(errors:)` when none is left.")
        }
        try requireEqual(all.errors.keys.sorted(), replicas.sorted(), .errors, "AllReplicasFailed must hold one error per replica")
        for replica in replicas where !isPlanted(all.errors[replica], planted[replica]!) {
            let owner = planted.first { isPlanted(all.errors[replica], $0.value) }?.key
            throw CheckFailure(.errors,
                "the error kept for \(replica) is not the error its query threw" + (owner.map { ": it is \($0)'s" } ?? ""),
                expected: "\(planted[replica]!)", actual: show(all.errors[replica]),
                advice: "Find each done future's replica through a `[Future<Int>: String]` filled when you submit: the futures finish in any order, and a Set of futures has no order at all.")
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("skips a failed replica, returns the first good answer at once, cancels the queued queries", timeLimit: 8) { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                // With 2 workers: r0 fails at once, r1 is slow, r2 answers; the worker freed by
                // r2 takes r3 (slow too), and r4 is still queued when the answer arrives.
                let slow = ctx.gate("r1 and r3 answer only after firstGoodAnswer has returned")
                let queried = EventLog()
                let witness = ThreadWitness()
                let answer = try ctx.step("calling firstGoodAnswer(from: [r0, r1, r2, r3, r4], on: a pool of 2 workers)") {
                    try impl.firstGoodAnswer(["r0", "r1", "r2", "r3", "r4"], pool) { replica in
                        ctx.labelTask(replica)
                        witness.note()
                        queried.record(replica)
                        switch replica {
                        case "r0": throw PlantedError("r0 is down")
                        case "r2": return 42
                        default:
                            slow.wait()
                            return 7
                        }
                    }
                }
                let waitedForSlowOnes = slow.timedOut
                slow.open()
                ctx.shutDown(pool)
                try require(!waitedForSlowOnes, .promptness,
                    "firstGoodAnswer did not return when r2 answered: it waited for the slow replicas r1 and r3 (the check held them until firstGoodAnswer returned, and gave up after \(Int(2 * ctx.timeScale)) s)",
                    advice: "`wait(pending, returnWhen: .firstCompleted)` returns as soon as one more future is done; return as soon as one has a value. Waiting for all of them (`wait(futures)`, or `result()` on each in turn) waits for the slowest.")
                try requireRanOnPool(witness, pool, "a query")
                try requireEqual(answer, Answer(replica: "r2", value: 42), .result,
                    "the first good answer came from r2 (r0 failed before it; r1 and r3 were slow)",
                    advice: "A done future may hold an error: check it (`try future.result()` in a do/catch) and, if it failed, wait again on the futures not done yet.")
                try require(!queried.contains("r4"), .cancellation,
                    "r4 was still queued when the answer arrived, and it was queried anyway: the queued queries were not cancelled",
                    advice: "Once you have the answer, call `cancel()` on the futures that are not done: queued ones never run.")
                let asked = queried.all.sorted()
                try require(Set(asked).count == asked.count, .result,
                    "a replica was queried more than once: \(asked.joined(separator: ", "))",
                    advice: "Query each replica once; a replica that failed is skipped, not asked again.")
            },
            Scenario("every replica fails, one after the other in another order: AllReplicasFailed with each replica's own error") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    // z fails first, then x (once z's worker has completed z's future and gone
                    // idle), then y: the finishing order is z, x, y, not the order of the list.
                    let planted = ["x": PlantedError("x failed"), "y": PlantedError("y failed"), "z": PlantedError("z failed")]
                    let idleBefore = ["z": 0, "x": 1, "y": 2]
                    try requireAllFailed(impl, ctx, ["x", "y", "z"], pool,
                        step: "calling firstGoodAnswer(from: [x, y, z]) where every query fails, z first, then x, then y",
                        query: { replica in
                            let waitFor = idleBefore[replica]!
                            _ = ctx.eventually(timeout: 1) { pool.statistics.idleWorkers >= waitFor }
                            throw planted[replica]!
                        }, errors: planted)
                    let solo = PlantedError("solo failed")
                    try requireAllFailed(impl, ctx, ["solo"], pool, step: "calling firstGoodAnswer(from: [solo]) where the one query fails",
                        query: { _ in throw solo }, errors: ["solo": solo])
                }
            },
            Scenario("one replica that answers; no replica at all") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let answer = try ctx.step("calling firstGoodAnswer(from: [only])") {
                        try impl.firstGoodAnswer(["only"], pool) { _ in 5 }
                    }
                    try requireEqual(answer, Answer(replica: "only", value: 5), .result, "the only replica answered 5")
                    let error = try ctx.step("calling firstGoodAnswer(from: [])") {
                        try requireThrows(.errors, "firstGoodAnswer returned an answer although there was no replica to ask") {
                            try impl.firstGoodAnswer([], pool) { _ in 1 }
                        }
                    }
                    try require((error as? AllReplicasFailed)?.errors.isEmpty == true, .errors,
                        "with no replica, no answer can come: AllReplicasFailed with no errors",
                        expected: "AllReplicasFailed(errors: [:])", actual: "\(show(error)) (\(type(of: error)))")
                }
            },
        ]
    }
}
