import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers02a: [KnownAnswer] = [
        .wrong("02a", "waits for the first page before fetching the second", caughtOn: .concurrency,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let a = try pool.submit { try fetch(first) }.result()
                let b = try pool.submit { try fetch(second) }.result()
                return a + "\n" + b
            }), module: module)),
        .wrong("02a", "turns a failed fetch into an empty page", caughtOn: .errors,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let a = try pool.submit { try fetch(first) }
                let b = try pool.submit { try fetch(second) }
                return ((try? a.result()) ?? "") + "\n" + ((try? b.result()) ?? "")
            }), module: module)),
    ]
}
