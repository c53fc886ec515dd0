import ConcurrentFutures
import Foundation
import ExerciseKit

/// 09a Stop the search: concurrent shards, the right location, running searchers stop, queued
/// shards never searched, every item tested when nothing is found.
public enum Check09a: ExerciseCheck {
    public typealias IsTarget = @Sendable (Int) -> Bool
    public struct Implementation: Sendable {
        public var findFirst: @Sendable ([[Int]], ThreadPoolExecutor, @escaping IsTarget) throws -> Found?
        public init(findFirst: @escaping @Sendable ([[Int]], ThreadPoolExecutor, @escaping IsTarget) throws -> Found?) {
            self.findFirst = findFirst
        }
    }

    public static let exerciseID = "09a"

    /// Item `index` of shard `shard` is the number shard × 1,000,000 + index.
    static func shards(_ count: Int, size: Int) -> [[Int]] {
        (0..<count).map { shard in (0..<size).map { shard * 1_000_000 + $0 } }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("finds the target, and stops the other searchers once it is found", timeLimit: 8) { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                let overlap = ctx.rendezvous("shards 0 and 1 searched at the same time")
                let held = ctx.gate("shard 1's searcher is held at item 50 until findFirst has returned")
                let released = LockedValue(false)
                let testsAfterRelease = LockedValue([Int: Int]())
                let testsPerShard = LockedValue([Int: Int]())
                let shardOneHeld = LockedValue(false)
                let witness = ThreadWitness()
                let found = try ctx.step("calling findFirst(in: 4 shards of 1,000 items, on: a pool of 2 workers), target at shard 0, index 10") {
                    try impl.findFirst(shards(4, size: 1000), pool) { item in
                        let (shard, index) = (item / 1_000_000, item % 1_000_000)
                        if index == 0 {
                            ctx.labelTask("s\(shard)")
                            witness.note()
                        }
                        testsPerShard.withLock { $0[shard, default: 0] += 1 }
                        if released.withLock({ $0 }) { testsAfterRelease.withLock { $0[shard, default: 0] += 1 } }
                        if index == 0 && shard < 2 { overlap.arrive() }
                        if shard == 1 && index == 50 {
                            shardOneHeld.withLock { $0 = true }
                            held.wait()
                        }
                        // The target is found only once shard 1's searcher is held, running.
                        if item == 10 { _ = ctx.eventually { shardOneHeld.withLock { $0 } } }
                        return item == 10
                    }
                }
                released.withLock { $0 = true }
                let waitedForOthers = held.timedOut
                held.open()
                ctx.shutDown(pool)
                try require(!waitedForOthers, .promptness,
                    "findFirst did not return when shard 0's searcher found the target: it waited for shard 1's searcher (the check held it until findFirst returned, and gave up after \(Int(2 * ctx.timeScale)) s)",
                    advice: "Return as soon as one search has found it: `wait(pending, returnWhen: .firstCompleted)` in rounds, not `wait(searches)` or `result()` on each in turn.")
                try requireRanOnPool(witness, pool, "a search")
                try requireEqual(found, Found(shard: 0, index: 10), .result, "findFirst returned the wrong location",
                    advice: "`Found(shard:index:)` holds the shard's number and the item's position in that shard (not the item itself).")
                try require(overlap.met, .concurrency, "the shards were searched one after the other, not at the same time",
                    advice: "One task per shard, all submitted before you wait.")
                let afterRelease = testsAfterRelease.withLock { $0[1, default: 0] }
                try require(afterRelease <= 1, .cancellation,
                    "shard 1's searcher kept going after the target had been found: \(afterRelease) more tests",
                    advice: "Cancelling a future does not stop a running task. Share a flag between the tasks; the finder sets it, every searcher checks it before each test and stops.")
                let perShard = testsPerShard.withLock { $0 }
                for shard in [2, 3] where perShard[shard, default: 0] > 1 {
                    throw CheckFailure(.cancellation,
                        "shard \(shard) was searched (\(perShard[shard]!) tests) although the target had already been found",
                        advice: "Set the flag inside the task that finds the target, before it returns; cancel the searches not started; check the flag before every test.")
                }
            },
            Scenario("no target anywhere: every item is tested once, and the answer is nil") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let tested = LockedValue([Int: Int]())
                    let found = try ctx.step("calling findFirst(in: 3 shards of 200 items) where no item is the target") {
                        try impl.findFirst(shards(3, size: 200), pool) { item in
                            tested.withLock { $0[item, default: 0] += 1 }
                            return false
                        }
                    }
                    try requireEqual(found, nil, .result, "nothing matched, so findFirst must return nil")
                    let counts = tested.withLock { $0 }
                    try requireEqual(counts.count, 600, .result, "every one of the 600 items must be tested",
                        advice: "Stop only when the target was found, not when the first shard ended.")
                    try require(counts.values.allSatisfy { $0 == 1 }, .result, "some items were tested more than once")
                }
            },
            Scenario("a bigger search, three times: 4 shards of 20,000 on 4 workers, the target late in shard 3") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    // The other searchers wait at their 1,000th test until a moment after the
                    // target was tested, let go by a thread that knows nothing of the finder after
                    // that: nothing orders the finder's stop (after its test) before their next
                    // look at the flag. ThreadSanitizer (`workbook check 09a --tsan`) then sees a
                    // flag shared without a lock (three rounds, in case the runtime's own locks
                    // happen to order one of them).
                    let target = 3 * 1_000_000 + 15_000
                    for round in 1...3 {
                        let others = ctx.gate("round \(round): the other searchers wait at their 1,000th test until the target has been found", timeout: 2)
                        let found = try ctx.step("round \(round): calling findFirst(in: 4 shards of 20,000 items, on: a pool of 4 workers)") {
                            try impl.findFirst(shards(4, size: 20_000), pool) { item in
                                if item == target {
                                    Thread { usleep(20_000); others.open() }.start()
                                    return true
                                }
                                if item % 1_000_000 == 1000 && item / 1_000_000 != 3 { others.wait() }
                                return false
                            }
                        }
                        // This thread has heard of the find: it must not touch the gate (even to
                        // look at it) before the others have gone on, or it would order them.
                        try requireEqual(found, Found(shard: 3, index: 15_000), .result, "findFirst returned the wrong location")
                        _ = ctx.eventually { pool.statistics.running == 0 }
                    }
                }
            },
            Scenario("the target in the last place of the last shard") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let found = try ctx.step("calling findFirst(in: [[1, 2, 3], [4, 5, 6]]) looking for 6") {
                        try impl.findFirst([[1, 2, 3], [4, 5, 6]], pool) { $0 == 6 }
                    }
                    try requireEqual(found, Found(shard: 1, index: 2), .result, "findFirst returned the wrong location",
                        advice: "Shard 0 ends without finding it: that is not an answer, keep waiting for the other shards.")
                    let none = try ctx.step("calling findFirst(in: [[], [], [4]]) looking for 4, then in no shards at all") {
                        (try impl.findFirst([[], [], [4]], pool) { $0 == 4 }, try impl.findFirst([], pool) { _ in true })
                    }
                    try require(none.0 == Found(shard: 2, index: 0) && none.1 == nil, .result,
                        "empty shards hold nothing, and no shards at all means nil",
                        expected: "shard 2, index 0; then nil", actual: "\(show(none.0)); then \(show(none.1))")
                }
            },
        ]
    }
}
