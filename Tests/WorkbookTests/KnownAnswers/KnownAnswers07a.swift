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
    ]
}
