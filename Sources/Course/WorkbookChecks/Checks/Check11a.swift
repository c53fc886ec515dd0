import ConcurrentFutures
import ExerciseKit
import SystemPlatform

/// 11a Primes on a process pool: the task alone, then the whole count in worker processes with
/// one call per block.
public enum Check11a: ExerciseCheck {
    public struct Implementation: Sendable {
        /// The task types, registered with the pool (and, by the worker program, with its hook).
        public var tasks: [any ProcessTask.Type]
        /// The program the pool starts as its workers: the runner itself (`.current`), or, in
        /// the tests, a program built next to the test runner.
        public var worker: WorkerExecutable
        /// `CountPrimesInBlock.run` on lower..<upper, called in this process.
        public var countInBlock: @Sendable (Int, Int) throws -> Int
        public var countPrimes: @Sendable (Int, Int, ProcessPoolExecutor) throws -> Int
        public init(
            tasks: [any ProcessTask.Type], worker: WorkerExecutable,
            countInBlock: @escaping @Sendable (Int, Int) throws -> Int,
            countPrimes: @escaping @Sendable (Int, Int, ProcessPoolExecutor) throws -> Int
        ) {
            (self.tasks, self.worker, self.countInBlock, self.countPrimes) = (tasks, worker, countInBlock, countPrimes)
        }
    }

    public static let exerciseID = "11a"
    /// The blocks on the worker processes (rows "pid 12345").
    public static let timeline = TimelineChoice.scenario(1)

    static func primes(below limit: Int) -> Int { (0..<max(0, limit)).count(where: isPrime) }

    /// Runs `countPrimes` on a fresh pool of 2 worker processes and checks the answer, the
    /// number of calls, and that the calls ran in other processes.
    static func countOnPool(_ impl: Implementation, _ ctx: CheckContext, limit: Int, blockSize: Int) throws {
        let recorder = TaskEventRecorder()
        let pool = try ProcessPoolExecutor(
            tasks: impl.tasks, maxWorkers: 2, executable: impl.worker, observer: recorder.record)
        ctx.watch(recorder)
        defer { pool.shutdown(wait: false, cancelFutures: true) }
        let count = try ctx.step("calling countPrimes(below: \(limit), blockSize: \(blockSize), on: a pool of 2 worker processes)") {
            try impl.countPrimes(limit, blockSize, pool)
        }
        ctx.step("shutting the process pool down") { pool.shutdown(wait: true) }
        let blocks = (limit + blockSize - 1) / blockSize
        let calls = pool.statistics.submitted
        try requireEqual(count, primes(below: limit), .result,
            "countPrimes gave the wrong number of primes below \(limit) (blocks of \(blockSize))",
            advice: "The blocks must cover 0..<limit exactly once: lower..<min(lower + blockSize, limit) for lower in stride(from: 0, to: limit, by: blockSize), the last one shorter. An upper bound that is included counts the first number of the next block twice.")
        try require(calls > 0 || blocks == 0, .pool, "countPrimes did not use the pool: nothing was sent to a worker process",
            advice: "Call the task through the pool (`pool.submit(CountPrimesInBlock.self, block)` or `pool.map`), not directly.")
        try requireEqual(calls, blocks, .result,
            "countPrimes must make one call per block of \(blockSize) numbers",
            advice: "Blocks lower..<min(lower + blockSize, limit) for lower in stride(from: 0, to: limit, by: blockSize), one call each (no chunkSize).")
        let ownProcess = "pid \(getpid())"
        let workers = Set(recorder.events.compactMap { event -> String? in
            if case .started(let worker) = event.kind { return worker } else { return nil }
        })
        try require(blocks == 0 || (!workers.isEmpty && !workers.contains(ownProcess)), .pool,
            "the calls did not run in worker processes", actual: workers.sorted().joined(separator: ", "))
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("the task counts the primes of one block") { ctx in
                for (lower, upper) in [(0, 100), (100, 200), (0, 2), (2, 3), (3, 8), (7919, 7920), (50, 50)] {
                    let count = try ctx.step("calling CountPrimesInBlock.run(PrimeBlock(lower: \(lower), upper: \(upper)))") {
                        try impl.countInBlock(lower, upper)
                    }
                    try requireEqual(count, (lower..<max(lower, upper)).count(where: isPrime), .result,
                        "CountPrimesInBlock gave the wrong count for the numbers \(lower)..<\(upper)",
                        advice: "Count the numbers n with lower <= n < upper for which isPrime(n) is true.")
                }
            },
            Scenario("counts the primes below 100,000 in worker processes, one call per block", timeLimit: 15) { ctx in
                try countOnPool(impl, ctx, limit: 100_000, blockSize: 10_000)
            },
            Scenario("the last block may be shorter than the others", timeLimit: 15) { ctx in
                try countOnPool(impl, ctx, limit: 25_005, blockSize: 10_000)
            },
            Scenario("blocks whose edges are primes, a block larger than the limit, a limit of 0 or 1", timeLimit: 20) { ctx in
                for (limit, blockSize) in [(100, 7), (30, 100), (0, 5), (1, 1)] {
                    try countOnPool(impl, ctx, limit: limit, blockSize: blockSize)
                }
            },
            Scenario("a block size below 1 is refused with InvalidArgumentError", timeLimit: 15) { ctx in
                let pool = try ProcessPoolExecutor(tasks: impl.tasks, maxWorkers: 1, executable: impl.worker)
                defer { pool.shutdown(wait: true, cancelFutures: true) }
                for blockSize in [0, -3] {
                    let error = try ctx.step("calling countPrimes(below: 100, blockSize: \(blockSize))") {
                        try requireThrows(.errors, "countPrimes accepted a block size of \(blockSize)") { try impl.countPrimes(100, blockSize, pool) }
                    }
                    try require(error is InvalidArgumentError, .errors, "a block size of \(blockSize) must throw InvalidArgumentError",
                        expected: "InvalidArgumentError", actual: "\(show(error)) (\(type(of: error)))")
                }
                try requireEqual(pool.statistics.submitted, 0, .errors, "a refused block size must not send anything to the pool")
            },
        ]
    }
}
