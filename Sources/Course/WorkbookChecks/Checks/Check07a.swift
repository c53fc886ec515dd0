import ConcurrentFutures
import ExerciseKit

/// 07a Successes and failures: every line in one list, input order, errors with their lines.
public enum Check07a: ExerciseCheck {
    public typealias Parse = @Sendable (String) throws -> Int
    public struct Implementation: Sendable {
        public var parseAll: @Sendable ([String], ThreadPoolExecutor, @escaping Parse) throws -> ParseReport
        public init(parseAll: @escaping @Sendable ([String], ThreadPoolExecutor, @escaping Parse) throws -> ParseReport) {
            self.parseAll = parseAll
        }
    }

    public static let exerciseID = "07a"

    /// Parses an integer; anything else throws a planted error naming the line.
    static func parseNumber(_ line: String) throws -> Int {
        guard let value = Int(line) else { throw PlantedError("bad line \(line)") }
        return value
    }

    static func checkReport(_ report: ParseReport, lines: [String]) throws {
        let expectedParsed = lines.compactMap { line in Int(line).map { Parsed(line: line, value: $0) } }
        let expectedFailed = lines.filter { Int($0) == nil }
        try requireEqual(report.parsed, expectedParsed, .result,
            "`parsed` must hold every line that parsed, with its value, in input order")
        try requireEqual(report.failed.map(\.line), expectedFailed, .errors,
            "`failed` must hold every line that did not parse, in input order",
            advice: "Catch each line's error separately: one future per line, `try future.result()` in a do/catch.")
        for failure in report.failed where !isPlanted(failure.error, "bad line \(failure.line)") {
            throw CheckFailure(.errors, "the error kept for line \(failure.line.debugDescription) is not the error its parse threw",
                expected: "PlantedError(bad line \(failure.line))", actual: show(failure.error),
                advice: "Keep the error that `result()` rethrows, as it is, with the line of that same future.")
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("every line lands in exactly one list, in input order, each error with its own line") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let lines = ["12", "x1", "7", "oops", "40", "4.5", "-3"]
                    let report = try ctx.step("calling parseAll(\(lines), on: a pool of 3 workers)") {
                        try impl.parseAll(lines, pool, parseNumber)
                    }
                    try checkReport(report, lines: lines)
                }
            },
            Scenario("a failure at the start does not stop the other lines") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let lines = ["bad", "1", "2", "3", "4", "5"]
                    let report = try ctx.step("calling parseAll(\(lines)) where the first line fails") {
                        try impl.parseAll(lines, pool, parseNumber)
                    }
                    try checkReport(report, lines: lines)
                }
            },
            Scenario("parses several lines at the same time, on the pool") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let overlap = ctx.rendezvous("two lines parsing at the same time")
                    let witness = ThreadWitness()
                    let probe = ConcurrencyProbe()
                    let lines = (1...12).map(String.init)
                    let report = try ctx.step("calling parseAll(12 lines, on: a pool of 3 workers)") {
                        try impl.parseAll(lines, pool) { line in
                            try probe.measure {
                                witness.note()
                                overlap.arrive()
                                return try parseNumber(line)
                            }
                        }
                    }
                    try checkReport(report, lines: lines)
                    try require(overlap.met, .concurrency, "the lines were parsed one at a time",
                        advice: "Submit every line before you wait for any result.")
                    try require(!witness.sawNonWorker, .concurrency, "a line was parsed on the calling thread, not on the pool")
                    try require(probe.peak <= 3, .limit, "more parses ran at once than the pool has workers",
                        expected: "at most 3", actual: "\(probe.peak)")
                }
            },
            Scenario("when every line fails, parseAll still returns, with every line in failed") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let lines = ["a", "b", "c"]
                    let report = try ctx.step("calling parseAll([a, b, c]) where every line fails") {
                        try impl.parseAll(lines, pool, parseNumber)
                    }
                    try checkReport(report, lines: lines)
                }
            },
        ]
    }
}
