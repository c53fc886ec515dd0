import ConcurrentFutures
import ExerciseKit

/// 07a Successes and failures: every line in one list, input order (even when lines finish in
/// another order), each error the very one its line's parse threw (lines repeat, so a lookup by
/// text mixes them up), on the caller's pool, several at once.
public enum Check07a: ExerciseCheck {
    public typealias Parse = @Sendable (String) throws -> Int
    public struct Implementation: Sendable {
        public var parseAll: @Sendable ([String], ThreadPoolExecutor, @escaping Parse) throws -> ParseReport
        public init(parseAll: @escaping @Sendable ([String], ThreadPoolExecutor, @escaping Parse) throws -> ParseReport) {
            self.parseAll = parseAll
        }
    }

    public static let exerciseID = "07a"

    /// A parse of integers whose every failure is a new planted error, remembered by call, so
    /// that two lines with the same text fail with two different errors.
    final class Parser: Sendable {
        private let thrown = LockedValue<[(line: String, error: PlantedError)]>([])

        func parse(_ line: String) throws -> Int {
            guard let value = Int(line) else {
                let error = PlantedError("bad line \(line)")
                thrown.withLock { $0.append((line, error)) }
                throw error
            }
            return value
        }

        /// The errors thrown for lines with this text.
        func errors(for line: String) -> [PlantedError] { thrown.withLock { $0.filter { $0.line == line }.map(\.error) } }
        var count: Int { thrown.withLock { $0.count } }
    }

    static func checkReport(_ report: ParseReport, lines: [String], parser: Parser) throws {
        let expectedParsed = lines.compactMap { line in Int(line).map { Parsed(line: line, value: $0) } }
        let expectedFailed = lines.filter { Int($0) == nil }
        try requireEqual(report.failed.map(\.line).sorted(), expectedFailed.sorted(), .errors,
            "`failed` must hold every line that did not parse, once each",
            advice: "Catch each line's error separately: one future per line, `try future.result()` in a do/catch. `map` stops at the first error.")
        try requireEqual(report.parsed.map(\.line).sorted(), expectedParsed.map(\.line).sorted(), .result,
            "`parsed` must hold every line that parsed, once each")
        try requireEqual(report.failed.map(\.line), expectedFailed, .order,
            "`failed` must keep the order of the lines, whatever order their parses finished in",
            advice: "Go through the lines and their futures in order (`zip(lines, futures)`), not in finishing order.")
        try requireEqual(report.parsed, expectedParsed, .order,
            "`parsed` must hold each line that parsed with its value, in the order of the lines")
        // Identity: the k-th failed line with a given text must carry the error of the k-th parse
        // of that text. (Parses of equal lines may run in any order: any of them will do.)
        var used: [String: [PlantedError]] = [:]
        for failure in report.failed {
            let candidates = parser.errors(for: failure.line)
            let taken = used[failure.line, default: []]
            guard let planted = failure.error as? PlantedError, candidates.contains(planted), !taken.contains(planted) else {
                let belongsTo = (failure.error as? PlantedError).flatMap { error in
                    expectedFailed.first { parser.errors(for: $0).contains(error) }
                }
                throw CheckFailure(.errors,
                    "the error kept for line \(failure.line.debugDescription) is not the error its parse threw"
                        + (belongsTo.map { $0 == failure.line ? ": it is the error of another line with the same text" : ": it is the error of line \($0.debugDescription)" } ?? ""),
                    expected: "the PlantedError(bad line \(failure.line)) thrown for that very line",
                    actual: "\(show(failure.error)), of type \(type(of: failure.error))",
                    advice: "Keep the error that `result()` rethrows, as it is, with the line of that same future (not looked up by the line's text: lines repeat).")
            }
            used[failure.line, default: []].append(planted)
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("every line lands in exactly one list, in input order, each error with its own line, even when the first bad line fails last") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let lines = ["12", "x1", "7", "oops", "40", "4.5", "-3"]
                    let parser = Parser()
                    let held = ctx.gate("\"x1\" fails only once parseAll is waiting for it")
                    ctx.whenCallerWaits { held.open() }
                    let report = try ctx.step("calling parseAll(\(lines), on: a pool of 4 workers) where \"x1\" fails last") {
                        try impl.parseAll(lines, pool) { line in
                            ctx.labelTask("l\(lines.firstIndex(of: line) ?? 0)")
                            if line == "x1" { held.wait() }
                            return try parser.parse(line)
                        }
                    }
                    held.open()
                    try checkReport(report, lines: lines, parser: parser)
                }
            },
            Scenario("lines that repeat: each failure keeps its own error") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let lines = ["bad", "1", "bad", "1", "?", "bad"]
                    let parser = Parser()
                    let report = try ctx.step("calling parseAll(\(lines)) where \"bad\" appears three times") {
                        try impl.parseAll(lines, pool, parser.parse)
                    }
                    try checkReport(report, lines: lines, parser: parser)
                }
            },
            Scenario("parses several lines at the same time, on the pool it is given") { ctx in
                try ctx.withPool(maxWorkers: 3) { pool in
                    let overlap = ctx.rendezvous("two lines parsing at the same time")
                    let witness = ThreadWitness()
                    let probe = ConcurrencyProbe()
                    let lines = (1...12).map(String.init)
                    let parser = Parser()
                    let report = try ctx.step("calling parseAll(12 lines, on: a pool of 3 workers)") {
                        try impl.parseAll(lines, pool) { line in
                            ctx.labelTask("l\(line)")
                            return try probe.measure {
                                witness.note()
                                overlap.arrive()
                                return try parser.parse(line)
                            }
                        }
                    }
                    try requireRanOnPool(witness, pool, "a line's parse")
                    try require(overlap.met, .concurrency, "the lines were parsed one at a time",
                        advice: "Submit every line before you wait for any result.")
                    try require(probe.peak <= 3, .limit, "more parses ran at once than the pool has workers",
                        expected: "at most 3", actual: "\(probe.peak)")
                    try requireEqual(probe.calls, 12, .result, "each line must be parsed exactly once")
                    try checkReport(report, lines: lines, parser: parser)
                }
            },
            Scenario("when every line fails, or there are none, parseAll still returns") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let lines = ["a", "b", "c"]
                    let parser = Parser()
                    let report = try ctx.step("calling parseAll([a, b, c]) where every line fails") {
                        try impl.parseAll(lines, pool, parser.parse)
                    }
                    try checkReport(report, lines: lines, parser: parser)
                    let empty = try ctx.step("calling parseAll([])") { try impl.parseAll([], pool, parser.parse) }
                    try require(empty.parsed.isEmpty && empty.failed.isEmpty, .result, "no lines: both lists empty")
                }
            },
        ]
    }
}
