import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers07a: [KnownAnswer] = [
        .wrong("07a", "uses map, which stops at the first error", caughtOn: .errors,
            Check07a.prepare(.init(parseAll: { lines, pool, parse in
                let values = try Array(pool.map(lines) { try parse($0) })
                return ParseReport(parsed: zip(lines, values).map { Parsed(line: $0, value: $1) })
            }), module: module)),
        .wrong("07a", "keeps a new error that describes the parse's error", caughtOn: .errors,
            Check07a.prepare(.init(parseAll: { lines, pool, parse in
                struct LineError: Error, CustomStringConvertible { let description: String }
                let futures = try lines.map { line in try pool.submit { try parse(line) } }
                var report = ParseReport()
                for (line, future) in zip(lines, futures) {
                    do { report.parsed.append(Parsed(line: line, value: try future.result())) } catch {
                        report.failed.append(ParseFailure(line: line, error: LineError(description: "\(error)")))
                    }
                }
                return report
            }), module: module)),
        .wrong("07a", "looks each line's error up by the line's text", caughtOn: .errors,
            Check07a.prepare(.init(parseAll: { lines, pool, parse in
                let futures = try lines.map { line in try pool.submit { try parse(line) } }
                var errorOf: [String: any Error] = [:]
                var report = ParseReport()
                for (line, future) in zip(lines, futures) {
                    do { report.parsed.append(Parsed(line: line, value: try future.result())) } catch { errorOf[line] = error }
                }
                for line in lines where errorOf[line] != nil { report.failed.append(ParseFailure(line: line, error: errorOf[line]!)) }
                return report
            }), module: module)),
        .wrong("07a", "sorts the lines in the order their parses finish (asCompleted)", caughtOn: .order,
            Check07a.prepare(.init(parseAll: { lines, pool, parse in
                let futures = try lines.map { line in try pool.submit { try parse(line) } }
                let lineOf = Dictionary(uniqueKeysWithValues: zip(futures, lines))
                var report = ParseReport()
                let completed = try asCompleted(futures)
                while let future = try completed.next() {
                    let line = lineOf[future]!
                    do { report.parsed.append(Parsed(line: line, value: try future.result())) } catch {
                        report.failed.append(ParseFailure(line: line, error: error))
                    }
                }
                return report
            }), module: module)),
        .wrong("07a", "parses on the calling thread", caughtOn: .pool,
            Check07a.prepare(.init(parseAll: { lines, _, parse in
                var report = ParseReport()
                for line in lines {
                    do { report.parsed.append(Parsed(line: line, value: try parse(line))) } catch {
                        report.failed.append(ParseFailure(line: line, error: error))
                    }
                }
                return report
            }), module: module)),
        .right("07a", "map over Result: no error leaves the tasks",
            Check07a.prepare(.init(parseAll: { lines, pool, parse in
                let outcomes = try pool.map(lines) { line in Result { try parse(line) } }
                var report = ParseReport()
                for line in lines {
                    switch try outcomes.next()! {
                    case .success(let value): report.parsed.append(Parsed(line: line, value: value))
                    case .failure(let error): report.failed.append(ParseFailure(line: line, error: error))
                    }
                }
                return report
            }), module: module)),
    ]
}
