import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers11a: [KnownAnswer] = [
        .wrong("11a", "counts in this process instead of on the pool", caughtOn: .concurrency,
            Check11a.prepare(.init(
                tasks: Solutions.primeTasks, worker: .sibling(named: "WorkbookSolutionWorker"),
                countInBlock: { try CountPrimesInBlock.run(PrimeBlock(lower: $0, upper: $1)) },
                countPrimes: { limit, blockSize, _ in
                    guard blockSize >= 1 else { throw InvalidArgumentError("blockSize") }
                    return try CountPrimesInBlock.run(PrimeBlock(lower: 0, upper: limit))
                }), module: module)),
    ]
}
