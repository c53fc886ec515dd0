import ConcurrentFutures
import Dispatch
import SystemPlatform

/// **submit + result throughput**: submit a million trivial tasks to a pool of 2 workers
/// (`--workers`), then
/// read every result. The cost per task of the whole future machinery: the queue, waking a
/// worker, the future, the wait for its result.
///
/// Peers, on the same work:
/// - **GCD async + group**: `DispatchQueue.global().async(group:)` per task, results written to
///   a slot each, `group.wait()`. No future per task: what the machinery costs without futures.
/// - **concurrentPerform**: GCD's parallel loop. No queue, no per-task object at all: the
///   floor of what any per-item scheme can cost.
/// - **withTaskGroup**: one child task per item, results collected with `for await`.
/// - **CPython**: `ThreadPoolExecutor(2)`, `[pool.submit(f, i) ...]` then `f.result()` each,
///   on a tenth of the tasks (it is slow); rates are compared.
enum SubmitSuite: BenchSuite {
    static let name = "submit"
    static let summary = "submit + result of 1,000,000 trivial tasks on 2 workers (--workers)"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let tasks = context.size(quick: 100_000, full: 1_000_000)
        let pythonTasks = tasks / 10
        let warmUpTasks = tasks / 10
        let workers = context.workers
        let programs = [
            Program.rate(
                key: "ours", name: "ThreadPoolExecutor, \(workers) workers",
                count: tasks, warmUpCount: warmUpTasks
            ) { try submitThroughput(tasks: $0, workers: workers) },
        ] + gcdThroughputPrograms(tasks: tasks, warmUpTasks: warmUpTasks) + [
            Program.rate(
                key: "taskgroup", name: "withTaskGroup",
                count: tasks, warmUpCount: warmUpTasks
            ) { try taskGroupThroughput(tasks: $0) },
            context.python.program(
                key: "cpython", name: "CPython ThreadPoolExecutor(\(workers))", script: "thread_pool.py",
                arguments: ["submit", "--tasks", "\(pythonTasks)", "--workers", "\(workers)"]),
        ]
        let measured = alternate(programs, rounds: context.rounds, context: context, label: name)
        let rows = programs.map { program in
            measured.row(
                suite: name, program: program.key, metric: "rate", what: program.name, unit: .tasksPerSecond,
                peers: program.key == "ours" ? throughputPeers : [],
                note: program.key == "cpython" ? "CPython runs \(pythonTasks.formatted) tasks (1/10); rates compared" : nil)
        }
        return SuiteReport(
            suite: name, title: "submit + result of \(tasks.formatted) trivial tasks, \(workers) workers", rows: rows)
    }
}

// MARK: - The workloads (the observer and map suites use them too)

/// Starts every worker of `pool` before the clock starts: each task keeps its worker busy for a
/// millisecond, so each `submit` must start another thread.
func startAllWorkers(_ pool: ThreadPoolExecutor) throws {
    let futures = try (0..<pool.maxWorkers).map { _ in try pool.submit { usleep(1000) } }
    for future in futures { _ = try future.result() }
}

/// Tasks per second of "submit every task, then read every result" on a new pool of `workers`.
func submitThroughput(
    tasks: Int, workers: Int, observer: (@Sendable (TaskEvent) -> Void)? = nil
) throws -> Double {
    let pool = try ThreadPoolExecutor(maxWorkers: workers, observer: observer)
    defer { pool.shutdown() }
    try startAllWorkers(pool)
    var futures: [Future<Int>] = []
    futures.reserveCapacity(tasks)

    let start = now()
    for i in 0..<tasks {
        futures.append(try pool.submit { trivialWork(i) })
    }
    var sum = 0
    for future in futures {
        sum &+= try future.result()
    }
    let seconds = now() - start

    try verify(sum: sum, tasks: tasks)
    return Double(tasks) / seconds
}

/// The same with GCD: one `async` per task on the global queue, results in slots, then wait
/// for the group.
/// The GCD programs that the throughput suites (`submit`, `map`) measure beside ours, on the
/// same number of trivial tasks: `async` + `DispatchGroup`, and `concurrentPerform` as the floor.
func gcdThroughputPrograms(tasks: Int, warmUpTasks: Int) -> [Program] {
    [
        Program.rate(
            key: "gcd", name: "GCD async + group",
            count: tasks, warmUpCount: warmUpTasks
        ) { try gcdAsyncGroupThroughput(tasks: $0) },
        Program(
            key: "perform", name: "GCD concurrentPerform (floor)",
            measure: { ["rate": try concurrentPerformThroughput(tasks: tasks)] }),
    ]
}

/// What a throughput row of ours is compared with: the programs of `gcdThroughputPrograms`,
/// the suite's `withTaskGroup` program ("taskgroup") and CPython ("cpython").
let throughputPeers = [
    Peer(key: "gcd", label: "GCD async+group", program: "gcd"),
    Peer(key: "perform", label: "concurrentPerform", program: "perform"),
    Peer(key: "taskgroup", label: "withTaskGroup", program: "taskgroup"),
    Peer(key: "cpython", label: "CPython", program: "cpython"),
]

func gcdAsyncGroupThroughput(tasks: Int) throws -> Double {
    let results = ResultSlots(count: tasks)
    let group = DispatchGroup()
    let queue = DispatchQueue.global()

    let start = now()
    for i in 0..<tasks {
        queue.async(group: group) { results[i] = trivialWork(i) }
    }
    group.wait()
    let seconds = now() - start

    try verify(sum: results.sum, tasks: tasks)
    return Double(tasks) / seconds
}

/// The floor: `concurrentPerform` hands out indices to the cores with no per-item object.
func concurrentPerformThroughput(tasks: Int) throws -> Double {
    let results = ResultSlots(count: tasks)

    let start = now()
    DispatchQueue.concurrentPerform(iterations: tasks) { i in results[i] = trivialWork(i) }
    let seconds = now() - start

    try verify(sum: results.sum, tasks: tasks)
    return Double(tasks) / seconds
}

/// Structured concurrency: a child task per item, results summed as they arrive.
func taskGroupThroughput(tasks: Int) throws -> Double {
    try blockingAwait {
        let start = now()
        let sum = await withTaskGroup(of: Int.self) { group in
            for i in 0..<tasks {
                group.addTask { trivialWork(i) }
            }
            var sum = 0
            for await value in group { sum &+= value }
            return sum
        }
        let seconds = now() - start

        try verify(sum: sum, tasks: tasks)
        return Double(tasks) / seconds
    }
}

extension Int {
    /// With thousands separators: 1000000 → "1,000,000".
    var formatted: String {
        let digits = String(magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (self < 0 ? "-" : "") + grouped
    }
}
