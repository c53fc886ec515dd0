import ConcurrentFutures
import Foundation

/// 04a The fastest mirror: every download on the caller's pool, once; reports in finishing
/// order, each with its own mirror and its own outcome; a failure does not stop the others;
/// returns the first mirror to succeed.
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
            Scenario("reports each mirror the moment its download finishes, fastest first, on the pool it is given", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    // The check makes the downloads finish in the order c, a, d, b: each one
                    // finishes only once the one before it has been reported. Each size names
                    // its mirror, so the gates follow the downloads even if the labels are wrong.
                    let releaseA = ctx.gate("mirror a finishes after c has been reported", timeout: 1.5)
                    let releaseD = ctx.gate("mirror d finishes after a has been reported", timeout: 1.5)
                    let releaseB = ctx.gate("mirror b finishes after d has been reported", timeout: 1.5)
                    let sizes = ["a": 100, "b": 200, "c": 300, "d": 400]
                    let reports = EventLog()
                    let sizesReported = EventLog()
                    let witness = ThreadWitness()
                    let downloads = EventLog()
                    let fastest = try ctx.step("calling raceMirrors([a, b, c, d]) where they finish in the order c, a, d, b") {
                        try impl.raceMirrors(["a", "b", "c", "d"], pool, { mirror in
                            ctx.labelTask(mirror)
                            witness.note()
                            downloads.record(mirror)
                            switch mirror {
                            case "a": releaseA.wait()
                            case "d": releaseD.wait()
                            case "b": releaseB.wait()
                            default: break
                            }
                            return sizes[mirror]!
                        }, { mirror, outcome in
                            reports.record(describe(mirror, outcome))
                            guard case .success(let size) = outcome else { return }
                            sizesReported.record("\(size)")
                            switch size {
                            case 300: releaseA.open()
                            case 100: releaseD.open()
                            case 400: releaseB.open()
                            default: break
                            }
                        })
                    }
                    try requireRanOnPool(witness, pool, "a download")
                    try requireEqual(downloads.all.sorted(), ["a", "b", "c", "d"], .result, "each mirror must be downloaded exactly once")
                    for (gate, late, early) in [(releaseA, "a", "c"), (releaseD, "d", "a"), (releaseB, "b", "d")] where gate.timedOut {
                        throw CheckFailure(.order,
                            "mirror \(early) had finished, but raceMirrors did not report it until later: the check held mirror \(late) back until \(early) was reported, and waited \(String(format: "%.1f", 1.5 * ctx.timeScale)) s in vain",
                            expected: "reports in finishing order: c, a, d, b", actual: reports.all.joined(separator: ", "),
                            advice: "Report in the order the downloads finish: loop over `asCompleted(futures)`, not over the mirrors or over `map`.")
                    }
                    if sizesReported.all == ["300", "100", "400", "200"] {
                        try requireEqual(reports.all, ["c: 300", "a: 100", "d: 400", "b: 200"], .result,
                            "the reports came in finishing order, but not each with its own mirror",
                            advice: "`asCompleted` gives futures, not mirrors: look each future up in a `[Future<Int>: String]` filled when you submit. Pairing the n-th future to finish with the n-th mirror mixes them up.")
                    }
                    try requireEqual(reports.all, ["c: 300", "a: 100", "d: 400", "b: 200"], .order,
                        "the reports are not one per mirror, in finishing order, each with its own size")
                    try requireEqual(fastest, "c", .result, "raceMirrors must return the first mirror that succeeded (c finished first)")
                }
            },
            Scenario("a mirror that is down is reported with its own error, the others still are, and the first success is returned") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let reports = EventLog()
                    let errorsSeen = LockedValue<[String: any Error]>([:])
                    let planted = PlantedError("b is down")
                    let cAfterB = ctx.gate("c finishes after b has been reported")
                    let aAfterC = ctx.gate("a finishes after c has been reported")
                    let fastest = try ctx.step("calling raceMirrors([a, b, c]) where b is down and fails first, then c, then a finish") {
                        try impl.raceMirrors(["a", "b", "c"], pool, { mirror in
                            switch mirror {
                            case "b": throw planted
                            case "c": cAfterB.wait(); return 300
                            default: aAfterC.wait(); return 100
                            }
                        }, { mirror, outcome in
                            reports.record(mirror)
                            switch outcome {
                            case .failure(let error):
                                errorsSeen.withLock { $0[mirror] = error }
                                if isPlanted(error, planted) { cAfterB.open() }
                            case .success(let size):
                                if size == 300 { aAfterC.open() }
                            }
                        })
                    }
                    try requireEqual(reports.all.sorted(), ["a", "b", "c"], .result,
                        "every mirror must be reported exactly once, also after one failed")
                    try requireEqual(reports.all.first, "b", .order, "b failed first, so it must be reported first")
                    let bError = errorsSeen.withLock { $0["b"] }
                    try require(isPlanted(bError, planted), .errors,
                        "mirror b must be reported as a failure with the very error its download threw",
                        expected: "b: .failure(\(planted))", actual: bError.map { "b: .failure(\(show($0)), \(type(of: $0)))" } ?? "b: no failure",
                        advice: "`Result { try future.result() }` keeps the download's own error.")
                    try require(errorsSeen.withLock { $0.count } == 1, .errors, "only b failed, but another mirror was reported as failed")
                    try requireEqual(fastest, "c", .result,
                        "raceMirrors must return the first mirror that succeeded: b failed, then c succeeded before a")
                }
            },
            Scenario("more mirrors than workers, and every one down: each reported once, nil returned") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let mirrors = (1...6).map { "m\($0)" }
                    let reports = EventLog()
                    let fastest = try ctx.step("calling raceMirrors(6 mirrors on 2 workers) where every download fails") {
                        try impl.raceMirrors(mirrors, pool, { mirror in
                            throw PlantedError("\(mirror) is down")
                        }, { mirror, outcome in
                            if case .failure(let error) = outcome, isPlanted(error, "\(mirror) is down") {
                                reports.record(mirror)
                            } else {
                                reports.record("\(mirror) with a wrong outcome")
                            }
                        })
                    }
                    try requireEqual(reports.all.sorted(), mirrors, .result,
                        "every mirror must be reported once, as a failure with its own error")
                    try requireEqual(fastest, nil, .result, "no download succeeded, so there is no fastest mirror")
                    var none = 0
                    let empty = try ctx.step("calling raceMirrors([])") { try impl.raceMirrors([], pool, { _ in 1 }, { _, _ in none += 1 }) }
                    try require(empty == nil && none == 0, .result, "no mirrors: nothing reported, nil returned")
                }
            },
        ]
    }
}
