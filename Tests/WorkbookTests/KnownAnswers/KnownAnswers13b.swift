import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers13b: [KnownAnswer] = [
        .wrong("13b", "reads the whole stream first", caughtOn: .limit,
            Check13b.prepare(.init(processStream: { records, pool, _, process in
                try Array(pool.map(Array(records)) { try process($0) }).reduce(0, +)
            }), module: module)),
    ]
}
