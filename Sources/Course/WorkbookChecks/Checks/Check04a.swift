import ConcurrentFutures
import Foundation

/// 04a The fastest mirror: reports in finishing order, each with its own input; errors kept.
public enum Check04a: ExerciseCheck {
    public typealias Download = @Sendable (String) throws -> Int
    public typealias Report = (String, Result<Int, any Error>) -> Void
    public struct Implementation: Sendable {
        public var raceMirrors: @Sendable ([String], ThreadPoolExecutor, @escaping Download, Report) throws -> String?
        public init(raceMirrors: @escaping @Sendable ([String], ThreadPoolExecutor, @escaping Download, Report) throws -> String?) {
            self.raceMirrors = raceMirrors
        }
    }

    public static let exerciseID = "04a"

    /// "a: 100" or "b: failed PlantedError(b is down)".
    static func describe(_ mirror: String, _ outcome: Result<Int, any Error>) -> String {
        switch outcome {
        case .success(let size): "\(mirror): \(size)"
        case .failure(let error): "\(mirror): failed \(error)"
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("reports each mirror the moment its download finishes, fastest first", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    // The check makes the downloads finish in the order c, a, d, b: each one
                    // finishes only once the one before it has been reported.
                    let releaseA = ctx.gate("mirror a finishes after c has been reported", timeout: 1.5)
                    let releaseD = ctx.gate("mirror d finishes after a has been reported", timeout: 1.5)
                    let releaseB = ctx.gate("mirror b finishes after d has been reported", timeout: 1.5)
                    let sizes = ["a": 100, "b": 200, "c": 300, "d": 400]
                    let reports = EventLog()
                    let fastest = try ctx.step("calling raceMirrors([a, b, c, d]) where they finish in the order c, a, d, b") {
                        try impl.raceMirrors(["a", "b", "c", "d"], pool, { mirror in
                            switch mirror {
                            case "a": releaseA.wait()
                            case "d": releaseD.wait()
                            case "b": releaseB.wait()
                            default: break
                            }
                            return sizes[mirror]!
                        }, { mirror, outcome in
                            reports.record(describe(mirror, outcome))
                            switch mirror {
                            case "c": releaseA.open()
                            case "a": releaseD.open()
                            case "d": releaseB.open()
                            default: break
                            }
                        })
                    }
                    for (gate, late, early) in [(releaseA, "a", "c"), (releaseD, "d", "a"), (releaseB, "b", "d")] where gate.timedOut {
                        throw CheckFailure(.order,
                            "mirror \(early) had finished, but raceMirrors did not report it until later: the check held mirror \(late) back until \(early) was reported, and waited \(String(format: "%.1f", 1.5 * ctx.timeScale)) s in vain",
                            expected: "reports in finishing order: c, a, d, b", actual: reports.all.joined(separator: ", "),
                            advice: "Report in the order the downloads finish: loop over `asCompleted(futures)`, not over the mirrors or over `map`.")
                    }
                    try requireEqual(reports.all, ["c: 300", "a: 100", "d: 400", "b: 200"], .order,
                        "the reports are not one per mirror, in finishing order, each with its own size",
                        advice: "Look each future up in a [Future<Int>: String] dictionary to find its mirror.")
                    try requireEqual(fastest, "c", .result, "raceMirrors must return the first mirror that succeeded")
                }
            },
            Scenario("a mirror that is down is reported with its own error, and the others still are") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let reports = EventLog()
                    let errorsSeen = LockedValue<[String: any Error]>([:])
                    let bIsDone = ctx.gate("a and c finish after b has been reported")
                    let fastest = try ctx.step("calling raceMirrors([a, b, c]) where b is down and fails first") {
                        try impl.raceMirrors(["a", "b", "c"], pool, { mirror in
                            if mirror == "b" { throw PlantedError("b is down") }
                            bIsDone.wait()
                            return mirror == "a" ? 100 : 300
                        }, { mirror, outcome in
                            reports.record(mirror)
                            if case .failure(let error) = outcome { errorsSeen.withLock { $0[mirror] = error } }
                            if mirror == "b" { bIsDone.open() }
                        })
                    }
                    try requireEqual(reports.all.sorted(), ["a", "b", "c"], .result,
                        "every mirror must be reported exactly once, also after one failed")
                    try requireEqual(reports.all.first, "b", .order, "b failed first, so it must be reported first")
                    let bError = errorsSeen.withLock { $0["b"] }
                    try require(isPlanted(bError, "b is down"), .errors,
                        "mirror b must be reported as a failure with the error its download threw",
                        expected: "b: .failure(PlantedError(b is down))", actual: bError.map { "b: .failure(\(show($0)))" } ?? "b: no failure",
                        advice: "`Result { try future.result() }` keeps the download's own error.")
                    try require(errorsSeen.withLock { $0.count } == 1, .errors, "only b failed, but another mirror was reported as failed")
                    try require(fastest == "a" || fastest == "c", .result,
                        "raceMirrors must return the first mirror that succeeded (b failed)",
                        expected: "a or c", actual: show(fastest))
                }
            },
            Scenario("returns nil when every mirror is down") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    var reported = 0
                    let fastest = try ctx.step("calling raceMirrors([a, b, c]) where every download fails") {
                        try impl.raceMirrors(["a", "b", "c"], pool, { mirror in
                            throw PlantedError("\(mirror) is down")
                        }, { _, _ in reported += 1 })
                    }
                    try requireEqual(reported, 3, .result, "every mirror must be reported, failures included")
                    try requireEqual(fastest, nil, .result, "no download succeeded, so there is no fastest mirror")
                }
            },
        ]
    }
}
