import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

/// 11a's checks with the solution's task and worker, and `countPrimes` (or the task run in this
/// process) as given.
func check11a(
    countInBlock: @escaping @Sendable (Int, Int) throws -> Int = { try CountPrimesInBlock.run(PrimeBlock(lower: $0, upper: $1)) },
    countPrimes: @escaping @Sendable (Int, Int, ProcessPoolExecutor) throws -> Int = Solutions.countPrimes
) -> PreparedCheck {
    Check11a.prepare(.init(
        tasks: Solutions.primeTasks, worker: .sibling(named: "WorkbookSolutionWorker"),
        countInBlock: countInBlock, countPrimes: countPrimes), module: KnownAnswers.module)
}

/// Adds up the counts of `blocks`, one call each, on the pool.
func countOnPool(_ blocks: [PrimeBlock], _ pool: ProcessPoolExecutor) throws -> Int {
    let counts = try pool.map(CountPrimesInBlock.self, blocks)
    var total = 0
    while let count = try counts.next() { total += count }
    return total
}

extension KnownAnswers {
    static let answers11a: [KnownAnswer] = [
        .wrong("11a", "counts in this process instead of on the pool", caughtOn: .pool,
            check11a(countPrimes: { limit, blockSize, _ in
                guard blockSize >= 1 else { throw InvalidArgumentError("blockSize") }
                return try CountPrimesInBlock.run(PrimeBlock(lower: 0, upper: limit))
            })),
        .wrong("11a", "the task counts its upper bound too", caughtOn: .result,
            check11a(countInBlock: { lower, upper in (lower...max(lower, upper)).count(where: isPrime) })),
        .wrong("11a", "blocks that include their upper bound", caughtOn: .result,
            check11a(countPrimes: { limit, blockSize, pool in
                guard blockSize >= 1 else { throw InvalidArgumentError("blockSize") }
                let blocks = stride(from: 0, to: limit, by: blockSize).map { PrimeBlock(lower: $0, upper: min($0 + blockSize + 1, limit)) }
                return try countOnPool(blocks, pool)
            })),
        .wrong("11a", "forgets the last, shorter block", caughtOn: .result,
            check11a(countPrimes: { limit, blockSize, pool in
                guard blockSize >= 1 else { throw InvalidArgumentError("blockSize") }
                let blocks = (0..<(limit / blockSize)).map { PrimeBlock(lower: $0 * blockSize, upper: ($0 + 1) * blockSize) }
                return try countOnPool(blocks, pool)
            })),
        .wrong("11a", "sends the blocks in chunks (fewer calls than blocks)", caughtOn: .result,
            check11a(countPrimes: { limit, blockSize, pool in
                guard blockSize >= 1 else { throw InvalidArgumentError("blockSize") }
                let blocks = stride(from: 0, to: limit, by: blockSize).map { PrimeBlock(lower: $0, upper: min($0 + blockSize, limit)) }
                return try Array(pool.map(CountPrimesInBlock.self, blocks, chunkSize: 4)).reduce(0, +)
            })),
        .wrong("11a", "turns a block size below 1 into 1", caughtOn: .errors,
            check11a(countPrimes: { limit, blockSize, pool in
                let size = max(1, blockSize)
                let blocks = stride(from: 0, to: limit, by: size).map { PrimeBlock(lower: $0, upper: min($0 + size, limit)) }
                return try countOnPool(blocks, pool)
            })),
        .right("11a", "one submit per block, blocks made in a while loop",
            check11a(countPrimes: { limit, blockSize, pool in
                if blockSize < 1 { throw InvalidArgumentError("a block needs at least one number") }
                var futures: [Future<Int>] = []
                var lower = 0
                while lower < limit {
                    futures.append(try pool.submit(CountPrimesInBlock.self, PrimeBlock(lower: lower, upper: min(lower + blockSize, limit))))
                    lower += blockSize
                }
                return try futures.reduce(0) { try $0 + $1.result() }
            })),
    ]
}
