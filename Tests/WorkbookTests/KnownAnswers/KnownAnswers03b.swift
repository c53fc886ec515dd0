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
        .wrong("03b", "the chunk size rounded down", caughtOn: .limit,
            Check03b.prepare(.init(lineTotals: { prices, quantities, pool, maxTasks, multiply in
                let lines = min(prices.count, quantities.count)
                return try Array(pool.map(zip(prices, quantities), chunkSize: max(1, lines / maxTasks)) { multiply($0, $1) })
            }), module: module)),
        .wrong("03b", "multiplies on the calling thread", caughtOn: .pool,
            Check03b.prepare(.init(lineTotals: { prices, quantities, _, _, multiply in
                zip(prices, quantities).map { multiply($0, $1) }
            }), module: module)),
        .wrong("03b", "the chunk size counted from the prices only", caughtOn: .concurrency,
            Check03b.prepare(.init(lineTotals: { prices, quantities, pool, maxTasks, multiply in
                let size = max(1, (prices.count + maxTasks - 1) / maxTasks)
                return try Array(pool.map(zip(prices, quantities), chunkSize: size) { multiply($0, $1) })
            }), module: module)),
        .right("03b", "chunks cut by hand, one submit each",
            Check03b.prepare(.init(lineTotals: { prices, quantities, pool, maxTasks, multiply in
                let lines = Array(zip(prices, quantities))
                guard !lines.isEmpty else { return [] }
                let size = (lines.count + maxTasks - 1) / maxTasks
                let chunks = stride(from: 0, to: lines.count, by: size).map { Array(lines[$0..<min($0 + size, lines.count)]) }
                let futures = try chunks.map { chunk in try pool.submit { chunk.map { multiply($0, $1) } } }
                return try futures.flatMap { try $0.result() }
            }), module: module)),
    ]
}
