import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers03b: [KnownAnswer] = [
        .wrong("03b", "one task per line (no chunkSize)", caughtOn: .limit,
            Check03b.prepare(.init(lineTotals: { prices, quantities, pool, _, multiply in
                try Array(pool.map(zip(prices, quantities)) { multiply($0, $1) })
            }), module: module)),
        .wrong("03b", "one chunk for everything", caughtOn: .concurrency,
            Check03b.prepare(.init(lineTotals: { prices, quantities, pool, _, multiply in
                try Array(pool.map(zip(prices, quantities), chunkSize: max(1, prices.count)) { multiply($0, $1) })
            }), module: module)),
        .wrong("03b", "a chunk size of 0 for an empty invoice", caughtOn: .result,
            Check03b.prepare(.init(lineTotals: { prices, quantities, pool, maxTasks, multiply in
                let lines = min(prices.count, quantities.count)
                return try Array(pool.map(zip(prices, quantities), chunkSize: (lines + maxTasks - 1) / maxTasks) { multiply($0, $1) })
            }), module: module)),
    ]
}
