import ConcurrentFutures
import ExerciseKit
import Foundation

/// 12b Fix the racy counter: the compiler checks the class, exact counts, consistent snapshots,
/// serveAll waits and reports errors.
public enum Check12b: ExerciseCheck {
    public typealias Serve = @Sendable (Int) throws -> Int
    public struct Implementation: Sendable {
        public var statsType: any UsageRecording.Type
        public var serveAll: @Sendable ([Int], ThreadPoolExecutor, any UsageRecording, @escaping Serve) throws -> Void
        public init(
            statsType: any UsageRecording.Type,
            serveAll: @escaping @Sendable ([Int], ThreadPoolExecutor, any UsageRecording, @escaping Serve) throws -> Void
        ) {
            (self.statsType, self.serveAll) = (statsType, serveAll)
        }
    }

    public static let exerciseID = "12b"
    /// The first scenario reads the code; the second serves the requests.
    public static let timeline = TimelineChoice.scenario(1)

    /// The source without its comments (the stub's comments mention `@unchecked`).
    static func code(_ source: String) -> String {
        var result = ""
        var rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix("//") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                if let end = rest.range(of: "*/") { rest = rest[end.upperBound...] } else { rest = "" }
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }

    /// Fails unless the class is left to the compiler to check. Every scenario starts with it:
    /// the racy class is never run.
    static func requireCheckedByCompiler(_ ctx: CheckContext) throws {
        guard let source = ctx.sourceText else { return }
        let code = code(source)
        for escape in ["@unchecked", "nonisolated(unsafe)"] where code.contains(escape) {
            throw CheckFailure(.source,
                "the code still says `\(escape)`: the compiler is told not to check it, so a data race can hide there (this check does not run the class until then)",
                advice: "Remove `\(escape)`, keep the counts in a `LockedValue`, and let the compiler confirm the class is safe to share.")
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("UsageStats is Sendable for real: no @unchecked, no nonisolated(unsafe)") { ctx in
                try requireCheckedByCompiler(ctx)
            },
            Scenario("serveAll on 4 workers: every request served on the pool, several at once, counted exactly, before it returns") { ctx in
                try requireCheckedByCompiler(ctx)
                try ctx.withPool(maxWorkers: 4) { pool in
                    let stats = impl.statsType.init()
                    let overlap = ctx.rendezvous("two requests served at the same time")
                    let witness = ThreadWitness()
                    let served = ConcurrencyProbe()
                    try ctx.step("calling serveAll(20,000 requests of 3 bytes, on: a pool of 4 workers)") {
                        try impl.serveAll(Array(repeating: 3, count: 20_000), pool, stats) { size in
                            served.measure {
                                if served.calls <= 8 {
                                    witness.note()
                                    overlap.arrive()
                                }
                                if served.calls == 20_000 {
                                    // The last request ends only once serveAll is waiting: one
                                    // that does not wait has returned by then.
                                    let go = DispatchSemaphore(value: 0)
                                    ctx.whenCallerWaits { go.signal() }
                                    go.wait()
                                }
                                return size
                            }
                        }
                    }
                    let atReturn = stats.snapshot
                    ctx.shutDown(pool)
                    let afterwards = stats.snapshot
                    try requireRanOnPool(witness, pool, "serving a request")
                    try require(overlap.met, .concurrency,
                        "the requests were served one at a time: the check waited \(Int(2 * ctx.timeScale)) s for a second one to start",
                        advice: "Submit one task per request, and hold the lock only inside `record` (never around `serve`): a lock held while a request is served makes the others wait for it.")
                    try require(atReturn == afterwards, .result,
                        "serveAll returned before every request was served: \(atReturn) when it returned, \(afterwards) a moment later",
                        advice: "Wait for every request's future (`wait(futures)`) before returning.")
                    try requireEqual(atReturn, UsageSnapshot(requests: 20_000, bytes: 60_000), .threadSafety,
                        "the counts are wrong after 20,000 requests on 4 threads",
                        advice: "Change both counts inside one `withLock`. `swift run workbook check 12b --tsan` shows where two threads touch them at once.")
                }
            },
            Scenario("a snapshot never mixes two moments") { ctx in
                try requireCheckedByCompiler(ctx)
                try ctx.withPool(maxWorkers: 4) { pool in
                    let stats = impl.statsType.init()
                    var torn: UsageSnapshot?
                    // Rounds of 4 writers and a reader at full speed: a snapshot that can mix two
                    // moments does, in one round or another.
                    for round in 1...8 where torn == nil {
                        let writers = try (0..<4).map { _ in
                            try pool.submit { for _ in 0..<10_000 { stats.record(bytes: 3) } }
                        }
                        ctx.step("round \(round): reading snapshots while 4 threads record 3-byte requests") {
                            while writers.contains(where: { !$0.isDone }) {
                                let snapshot = stats.snapshot
                                if snapshot.bytes != 3 * snapshot.requests { torn = snapshot; break }
                            }
                        }
                        _ = try wait(writers)
                    }
                    try require(torn == nil, .threadSafety,
                        "a snapshot showed \(torn.map { "\($0.requests) requests with \($0.bytes) bytes" } ?? ""), but every request was 3 bytes: the two numbers were read (or changed) at different moments",
                        advice: "Change both numbers inside one `withLock` in record, and read both inside one `withLock` in snapshot.")
                    try requireEqual(stats.snapshot, UsageSnapshot(requests: 320_000, bytes: 960_000), .threadSafety,
                        "the counts are wrong after 320,000 records on 4 threads")
                }
            },
            Scenario("serveAll serves every request, then throws a failed request's error") { ctx in
                try requireCheckedByCompiler(ctx)
                try ctx.withPool(maxWorkers: 3) { pool in
                    let stats = impl.statsType.init()
                    let planted = PlantedError("request 7 reset")
                    // The requests after 7 are held until 7 has failed and serveAll is still
                    // waiting: one that rethrows at once returns before they are served.
                    let held = ctx.gate("requests 8 to 20 are held until request 7 has failed and serveAll is still waiting", timeout: 3)
                    let failed = LockedValue(false)
                    let returned = LockedValue(false)
                    let releaser = Thread {
                        _ = ctx.eventually(timeout: 3) { failed.withLock { $0 } }
                        // Long enough for a caller that the failure woke up to be running.
                        usleep(50_000)
                        ctx.whenCallerWaits { if !returned.withLock({ $0 }) { held.open() } }
                    }
                    releaser.start()
                    let error = try ctx.step("calling serveAll(sizes 1...20) where serving size 7 throws") {
                        try requireThrows(.errors, "serveAll returned although a request failed") {
                            try impl.serveAll(Array(1...20), pool, stats) { size in
                                if size == 7 { failed.withLock { $0 = true }; throw planted }
                                if size > 7 { held.wait() }
                                return size
                            }
                        }
                    }
                    returned.withLock { $0 = true }
                    let atReturn = stats.snapshot
                    held.open()
                    try require(isPlanted(error, planted), .errors, "serveAll threw a different error",
                        expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                    try requireEqual(atReturn, UsageSnapshot(requests: 19, bytes: 210 - 7), .result,
                        "when serveAll threw, the other 19 requests had not all been served and recorded",
                        advice: "Wait for every request (`wait(futures)`) before rethrowing the first error.")
                }
            },
        ]
    }
}
