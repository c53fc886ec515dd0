import ConcurrentFutures
import Dispatch

/// **Round-trip latency**: one `submit` → `result()` at a time, on a warm pool of 2 workers:
/// how long the caller waits for a trivial task to come back. Reported as the median (p50) and
/// the 99th percentile (p99) of the samples of a round, then summarized over the rounds.
///
/// A worker whose queue just ran empty spins briefly (yielding the CPU) before it sleeps, so a
/// task that arrives right after usually finds it awake: no wake-up system call is needed.
///
/// Peers: GCD (`async` + a semaphore the task signals), a detached `Task` awaited from async
/// code, CPython's `pool.submit(f).result()`.
enum LatencySuite: BenchSuite {
    static let name = "latency"
    static let summary = "single submit → result round trips: p50 and p99"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let samples = context.size(quick: 2_000, full: 10_000)
        let workers = context.workers
        let programs = [
            Program(
                key: "ours", name: "ThreadPoolExecutor submit → result",
                measure: { try poolRoundTrips(samples, workers: workers) }),
            Program(key: "gcd", name: "GCD async + semaphore", measure: { gcdRoundTrips(samples) }),
            Program(key: "task", name: "Task.detached → await value", measure: { try taskRoundTrips(samples) }),
            context.python.program(
                key: "cpython", name: "CPython submit → result", script: "thread_pool.py",
                arguments: ["latency", "--tasks", "\(samples)", "--workers", "\(workers)"]),
        ]
        let measured = alternate(programs, rounds: context.rounds, context: context, label: name)
        let peers = [
            Peer(key: "gcd", label: "GCD", program: "gcd"),
            Peer(key: "task", label: "Task", program: "task"),
            Peer(key: "cpython", label: "CPython", program: "cpython"),
        ]
        var rows: [Row] = []
        for metric in ["p50", "p99"] {
            for program in programs {
                rows.append(measured.row(
                    suite: name, program: program.key, metric: metric, what: "\(program.name), \(metric)",
                    unit: .microseconds, peers: program.key == "ours" ? peers : []))
            }
        }
        return SuiteReport(
            suite: name, title: "round trip of one trivial task, \(workers) workers, \(samples.formatted) samples a round",
            rows: rows,
            notes: ["p50 and p99 are taken within each round; the table shows their median and range over the rounds"])
    }
}

/// p50 and p99, in microseconds, of `samples` (seconds).
private func percentiles(_ samples: [Double]) -> [String: Double] {
    let sorted = samples.sorted()
    return ["p50": percentile(sorted, 0.50) * 1e6, "p99": percentile(sorted, 0.99) * 1e6]
}

private func poolRoundTrips(_ count: Int, workers: Int) throws -> [String: Double] {
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    defer { pool.shutdown() }
    try startAllWorkers(pool)
    for i in 0..<200 { _ = try pool.submit { trivialWork(i) }.result() }

    var samples: [Double] = []
    samples.reserveCapacity(count)
    for i in 0..<count {
        let start = now()
        _ = try pool.submit { trivialWork(i) }.result()
        samples.append(now() - start)
    }
    return percentiles(samples)
}

private func gcdRoundTrips(_ count: Int) -> [String: Double] {
    let queue = DispatchQueue.global()
    let result = ResultSlots(count: 1)
    let done = DispatchSemaphore(value: 0)
    var samples: [Double] = []
    samples.reserveCapacity(count)
    for i in 0..<count + 200 {
        let start = now()
        queue.async {
            result[0] = trivialWork(i)
            done.signal()
        }
        done.wait()
        if i >= 200 { samples.append(now() - start) }  // the first 200 warm up
    }
    return percentiles(samples)
}

private func taskRoundTrips(_ count: Int) throws -> [String: Double] {
    try blockingAwait {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for i in 0..<count + 200 {
            let start = now()
            _ = await Task.detached { trivialWork(i) }.value
            if i >= 200 { samples.append(now() - start) }  // the first 200 warm up
        }
        return percentiles(samples)
    }
}
