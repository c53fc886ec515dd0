import ConcurrentFutures
import ExerciseKit

/// 05a First good answer wins: skip failures, return at once, cancel the queued queries.
public enum Check05a: ExerciseCheck {
    public typealias Query = @Sendable (String) throws -> Int
    public struct Implementation: Sendable {
        public var firstGoodAnswer: @Sendable ([String], ThreadPoolExecutor, @escaping Query) throws -> Answer
        public init(firstGoodAnswer: @escaping @Sendable ([String], ThreadPoolExecutor, @escaping Query) throws -> Answer) {
            self.firstGoodAnswer = firstGoodAnswer
        }
    }

    public static let exerciseID = "05a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("skips a failed replica, returns the first good answer at once, cancels the queued queries", timeLimit: 8) { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                // With 2 workers: r0 fails at once, r1 is slow, r2 answers; the worker freed by
                // r2 takes r3 (slow too), and r4 is still queued when the answer arrives.
                let slow = ctx.gate("r1 and r3 answer only after firstGoodAnswer has returned")
                let queried = EventLog()
                let answer = try ctx.step("calling firstGoodAnswer(from: [r0, r1, r2, r3, r4], on: a pool of 2 workers)") {
                    try impl.firstGoodAnswer(["r0", "r1", "r2", "r3", "r4"], pool) { replica in
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
                try requireEqual(answer, Answer(replica: "r2", value: 42), .result,
                    "the first good answer came from r2 (r0 failed before it; r1 and r3 were slow)",
                    advice: "A done future may hold an error: check it (`try future.result()` in a do/catch) and, if it failed, wait again on the futures not done yet.")
                try require(!waitedForSlowOnes, .promptness,
                    "firstGoodAnswer did not return when r2 answered: it waited for the slow replicas r1 and r3 (the check held them until firstGoodAnswer returned, and gave up after \(Int(2 * ctx.timeScale)) s)",
                    advice: "`wait(pending, returnWhen: .firstCompleted)` returns as soon as one more future is done; return as soon as one has a value.")
                try require(!queried.contains("r4"), .cancellation,
                    "r4 was still queued when the answer arrived, and it was queried anyway: the queued queries were not cancelled",
                    advice: "Once you have the answer, call `cancel()` on the futures that are not done: queued ones never run.")
            },
            Scenario("every replica fails: AllReplicasFailed with each replica's own error") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let error = try ctx.step("calling firstGoodAnswer(from: [x, y, z]) where every query fails") {
                        try requireThrows(.errors, "firstGoodAnswer returned although every replica failed") {
                            try impl.firstGoodAnswer(["x", "y", "z"], pool) { replica in throw PlantedError("\(replica) failed") }
                        }
                    }
                    guard let all = error as? AllReplicasFailed else {
                        throw CheckFailure(.errors, "firstGoodAnswer threw the wrong error when every replica failed",
                            expected: "AllReplicasFailed(errors: [x: ..., y: ..., z: ...])", actual: show(error))
                    }
                    try requireEqual(all.errors.keys.sorted(), ["x", "y", "z"], .errors, "AllReplicasFailed must hold one error per replica")
                    for replica in ["x", "y", "z"] {
                        try require(isPlanted(all.errors[replica], "\(replica) failed"), .errors,
                            "the error kept for \(replica) is not the error its query threw",
                            expected: "PlantedError(\(replica) failed)", actual: show(all.errors[replica]))
                    }
                }
            },
        ]
    }
}
