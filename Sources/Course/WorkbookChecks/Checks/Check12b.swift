import ConcurrentFutures
import ExerciseKit

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
            Scenario("serveAll on 4 workers: 20,000 requests counted exactly") { ctx in
                try requireCheckedByCompiler(ctx)
                try ctx.withPool(maxWorkers: 4) { pool in
                    let stats = impl.statsType.init()
                    try ctx.step("calling serveAll(20,000 requests of 3 bytes, on: a pool of 4 workers)") {
                        try impl.serveAll(Array(repeating: 3, count: 20_000), pool, stats) { size in size }
                    }
                    try requireEqual(stats.snapshot, UsageSnapshot(requests: 20_000, bytes: 60_000), .threadSafety,
                        "the counts are wrong after 20,000 requests on 4 threads",
                        advice: "Change both counts inside one `withLock`; and wait for every request before returning.")
                }
            },
            Scenario("a snapshot never mixes two moments") { ctx in
                try requireCheckedByCompiler(ctx)
                try ctx.withPool(maxWorkers: 4) { pool in
                    let stats = impl.statsType.init()
                    let writers = try (0..<4).map { _ in
                        try pool.submit { for _ in 0..<5_000 { stats.record(bytes: 3) } }
                    }
                    var torn: UsageSnapshot?
                    ctx.step("reading snapshots while 4 threads record 3-byte requests") {
                        while writers.contains(where: { !$0.isDone }) {
                            let snapshot = stats.snapshot
                            if snapshot.bytes != 3 * snapshot.requests { torn = snapshot; break }
                        }
                    }
                    _ = try wait(writers)
                    try require(torn == nil, .threadSafety,
                        "a snapshot showed \(torn.map { "\($0.requests) requests with \($0.bytes) bytes" } ?? ""), but every request was 3 bytes: the two numbers were read at different moments",
                        advice: "Read both numbers inside one `withLock`.")
                    try requireEqual(stats.snapshot, UsageSnapshot(requests: 20_000, bytes: 60_000), .threadSafety,
                        "the counts are wrong after 20,000 records on 4 threads")
                }
            },
            Scenario("serveAll serves every request, then throws a failed request's error") { ctx in
                try requireCheckedByCompiler(ctx)
                try ctx.withPool(maxWorkers: 3) { pool in
                    let stats = impl.statsType.init()
                    let error = try ctx.step("calling serveAll(sizes 1...20) where serving size 7 throws") {
                        try requireThrows(.errors, "serveAll returned although a request failed") {
                            try impl.serveAll(Array(1...20), pool, stats) { size in
                                if size == 7 { throw PlantedError("request 7 reset") }
                                return size
                            }
                        }
                    }
                    try require(isPlanted(error, "request 7 reset"), .errors, "serveAll threw a different error",
                        expected: "PlantedError(request 7 reset)", actual: show(error))
                    try requireEqual(stats.snapshot, UsageSnapshot(requests: 19, bytes: 210 - 7), .result,
                        "when serveAll threw, the other 19 requests were not all served and recorded",
                        advice: "Wait for every request (`wait(futures)`) before rethrowing the first error.")
                }
            },
        ]
    }
}
