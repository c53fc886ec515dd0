import ConcurrentFutures
import Dispatch

/// **CPU-bound map**: count the primes in 64 ranges of numbers (trial division: pure
/// arithmetic, no memory traffic, no locks) sequentially, then with `pool.map` on 1 and 2
/// workers. Swift threads run truly in parallel, so 2 workers on 2 cores should take about half
/// the sequential time; 1 worker shows what the pool itself costs. The pools are created and
/// warm before the clock starts.
///
/// Peers: `concurrentPerform` and `withTaskGroup` over the same ranges; CPython sequentially
/// and on `ThreadPoolExecutor(2)`, where the GIL lets only one thread run Python code at a time
/// (so two threads give no speed-up). CPython is about a hundred times slower at this, so it
/// counts a few of the ranges and its times are scaled up to the 64.
enum CPUSuite: BenchSuite {
    static let name = "cpu"
    static let summary = "CPU-bound map (counting primes) on 1 and 2 workers vs sequential"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let width = context.size(quick: 8_000, full: 25_000)
        let ranges = (0..<64).map { k in PrimeRange(lower: 2_000_000 + k * width, upper: 2_000_000 + (k + 1) * width) }
        let expected = ranges.map(countPrimes)
        let pythonRanges = 2
        let scale = Double(ranges.count) / Double(pythonRanges)

        let programs = [
            Program(key: "sequential", name: "sequential loop", measure: { try sequentialTime(ranges, expected) }),
            Program(key: "ours-1", name: "ThreadPoolExecutor.map, 1 worker",
                    measure: { try poolMapTime(ranges, expected, workers: 1) }),
            Program(key: "ours-2", name: "ThreadPoolExecutor.map, 2 workers",
                    measure: { try poolMapTime(ranges, expected, workers: 2) }),
            Program(key: "perform", name: "GCD concurrentPerform", measure: { try concurrentPerformTime(ranges, expected) }),
            Program(key: "taskgroup", name: "withTaskGroup", measure: { try taskGroupTime(ranges, expected) }),
            context.python.program(
                key: "cpython", name: "CPython", script: "thread_pool.py",
                arguments: ["cpu", "--ranges", "\(pythonRanges)", "--width", "\(width)"],
                adjust: { metrics in metrics.mapValues { $0 * scale } }),
        ]
        let measured = alternate(programs, rounds: context.rounds, context: context, label: name)

        let vsSequential = Peer(key: "sequential", label: "sequential", program: "sequential")
        let python = "CPython counted \(pythonRanges) of the \(ranges.count) ranges; its time is scaled ×\(Int(scale))"
        let rows = [
            measured.row(suite: name, program: "sequential", metric: "seconds", what: "sequential loop", unit: .seconds),
            measured.row(
                suite: name, program: "ours-1", metric: "seconds", what: "ThreadPoolExecutor.map, 1 worker",
                unit: .seconds, peers: [vsSequential]),
            measured.row(
                suite: name, program: "ours-2", metric: "seconds", what: "ThreadPoolExecutor.map, 2 workers",
                unit: .seconds,
                peers: [
                    vsSequential,
                    Peer(key: "perform", label: "concurrentPerform", program: "perform"),
                    Peer(key: "taskgroup", label: "withTaskGroup", program: "taskgroup"),
                    Peer(key: "cpython", label: "CPython 2 threads", program: "cpython", metric: "threads2"),
                ]),
            measured.row(
                suite: name, program: "perform", metric: "seconds", what: "GCD concurrentPerform", unit: .seconds,
                peers: [vsSequential]),
            measured.row(
                suite: name, program: "taskgroup", metric: "seconds", what: "withTaskGroup", unit: .seconds,
                peers: [vsSequential]),
            measured.row(
                suite: name, program: "cpython", metric: "sequential", what: "CPython sequential", unit: .seconds,
                note: python),
            measured.row(
                suite: name, program: "cpython", metric: "threads2", what: "CPython ThreadPoolExecutor(2).map",
                unit: .seconds,
                peers: [Peer(key: "cpython-sequential", label: "CPython sequential", program: "cpython", metric: "sequential")],
                note: python),
        ]
        return SuiteReport(
            suite: name,
            title: "count the primes in 64 ranges of \(width.formatted) numbers from 2,000,000 (\(expected.reduce(0, +).formatted) primes)",
            rows: rows)
    }
}

/// A range of numbers whose primes to count.
struct PrimeRange: Sendable {
    var lower: Int
    var upper: Int
}

/// Counts the primes in a range by trial division. The Python twin is `count_primes` in
/// python/thread_pool.py, the same loop.
func countPrimes(_ range: PrimeRange) -> Int {
    var count = 0
    var candidate = max(range.lower, 2)
    while candidate < range.upper {
        var isPrime = true
        var divisor = 2
        while divisor * divisor <= candidate {
            if candidate % divisor == 0 {
                isPrime = false
                break
            }
            divisor += 1
        }
        if isPrime { count += 1 }
        candidate += 1
    }
    return count
}

private func check(_ counts: [Int], _ expected: [Int]) throws {
    guard counts == expected else { throw WrongResult("prime counts differ from the sequential ones") }
}

private func sequentialTime(_ ranges: [PrimeRange], _ expected: [Int]) throws -> [String: Double] {
    let (seconds, counts) = timed { ranges.map(countPrimes) }
    try check(counts, expected)
    return ["seconds": seconds]
}

private func poolMapTime(_ ranges: [PrimeRange], _ expected: [Int], workers: Int) throws -> [String: Double] {
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    defer { pool.shutdown() }
    try startAllWorkers(pool)
    let (seconds, counts) = try timed { try Array(pool.map(ranges) { countPrimes($0) }) }
    try check(counts, expected)
    return ["seconds": seconds]
}

private func concurrentPerformTime(_ ranges: [PrimeRange], _ expected: [Int]) throws -> [String: Double] {
    let counts = ResultSlots(count: ranges.count)
    let (seconds, _) = timed {
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in counts[i] = countPrimes(ranges[i]) }
    }
    try check((0..<ranges.count).map { counts[$0] }, expected)
    return ["seconds": seconds]
}

private func taskGroupTime(_ ranges: [PrimeRange], _ expected: [Int]) throws -> [String: Double] {
    let (seconds, counts) = try blockingAwait {
        let start = now()
        let counts = await withTaskGroup(of: (Int, Int).self) { group in
            for (index, range) in ranges.enumerated() {
                group.addTask { (index, countPrimes(range)) }
            }
            var counts = [Int](repeating: 0, count: ranges.count)
            for await (index, count) in group { counts[index] = count }
            return counts
        }
        return (now() - start, counts)
    }
    try check(counts, expected)
    return ["seconds": seconds]
}
