// Exercise 11a · Primes on a process pool                            lesson 11: Process pools
//
// Count the primes below a limit, with the counting done in worker processes. A process pool
// cannot run closures (a closure cannot be sent to another process); it runs registered task
// types, whose inputs and outputs travel between processes as bytes (the library's
// BinaryEncoder, a compact binary Codable coder). Three parts:
//
//   1. `PrimeBlock` is the input of one call: the numbers `lower..<upper`. It is already
//      `Codable`, so it can travel. Write `CountPrimesInBlock.run`: the number of primes in the
//      block (`isPrime(_:)` from ExerciseKit tests one number).
//   2. `primeTasks` lists the task types. The program that runs your checks registers them
//      with the worker hook, `ProcessPoolExecutor.runWorkerIfRequested(tasks: primeTasks)`,
//      first thing in its `main` (Python's `if __name__ == "__main__":`), and the pool gets the
//      same list. Nothing to change there.
//   3. `countPrimes(below:blockSize:on:)` splits `0..<limit` into blocks of `blockSize`
//      numbers (the last one may be shorter), makes one call per block on `pool`, and adds the
//      counts. A `blockSize` below 1 throws `InvalidArgumentError`.
//
// Why blocks: every call is a message to another process and a reply, tens of microseconds
// each. One call per number would spend far more on messages than on arithmetic.
//
// What you need: `try pool.submit(CountPrimesInBlock.self, block)` returns a `Future<Int>`, or
// `try pool.map(CountPrimesInBlock.self, blocks)`, iterated like any `map`.
//
// Check it:   swift run workbook check 11a        Stuck?  swift run workbook hint 11a
import ConcurrentFutures
import ExerciseKit

/// The numbers lower..<upper.
public struct PrimeBlock: Codable, Sendable, Equatable {
    public var lower: Int
    public var upper: Int
    public init(lower: Int, upper: Int) {
        self.lower = lower
        self.upper = upper
    }
}

/// Every task type the pool may send to a worker.
public let primeTasks: [any ProcessTask.Type] = [CountPrimesInBlock.self]

public enum CountPrimesInBlock: ProcessTask {
    public static func run(_ block: PrimeBlock) throws -> Int {
        return try todo("count the primes in block.lower..<block.upper")
    }
}

public func countPrimes(below limit: Int, blockSize: Int, on pool: ProcessPoolExecutor) throws -> Int {
    return try todo("split 0..<limit into blocks, one call per block on the pool, add the counts")
}
