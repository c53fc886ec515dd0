import ConcurrentFutures
import Dispatch

/// **asCompleted over 10,000 and 100,000 futures**: submit n trivial tasks to 2 workers
/// (`--workers`), then
/// take every future from `asCompleted` as it finishes and read its result. The clock covers
/// the submits and the whole loop, as in the Python idiom
/// `for f in as_completed([pool.submit(...) ...])`.
///
/// The loop must be linear in n: ten times the futures may take about ten times as long, not a
/// hundred (the "100k ÷ 10k" row; a loop that rescanned every pending future on each wake-up
/// would be quadratic).
///
/// Peers: GCD (each task posts its index to a `CompletionChannel`, the consumer takes indices
/// in finishing order), `withTaskGroup` (`for await` yields children as they finish), CPython's
/// `as_completed` on a tenth of the futures (rates compared).
enum AsCompletedSuite: BenchSuite {
    static let name = "ascompleted"
    static let summary = "asCompleted over 10,000 and 100,000 futures (and its growth: linear?)"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let sizes = [(label: "10k", futures: 10_000), (label: "100k", futures: 100_000)]
        let workers = context.workers
        var programs: [Program] = []
        for (label, futures) in sizes {
            programs += [
                Program(
                    key: "ours-\(label)", name: "asCompleted, \(futures.formatted) futures",
                    measure: { ["rate": try asCompletedThroughput(futures: futures, workers: workers)] }),
                Program(
                    key: "gcd-\(label)", name: "GCD async + completion channel, \(futures.formatted)",
                    measure: { ["rate": try gcdCompletionOrderThroughput(tasks: futures)] }),
                Program(
                    key: "taskgroup-\(label)", name: "withTaskGroup for await, \(futures.formatted)",
                    measure: { ["rate": try taskGroupThroughput(tasks: futures)] }),
                context.python.program(
                    key: "cpython-\(label)", name: "CPython as_completed, \((futures / 10).formatted)",
                    script: "thread_pool.py",
                    arguments: ["ascompleted", "--tasks", "\(futures / 10)", "--workers", "\(workers)"]),
            ]
        }
        var measured = alternate(programs, rounds: context.rounds, context: context, label: name)

        // Growth: the 100k run's time over the 10k run's time, round by round (10 = linear).
        let small = measured.series("ours-10k", "rate"), large = measured.series("ours-100k", "rate")
        measured.derive("ours-100k", "growth") { round in
            guard let small = small[round], let large = large[round] else { return nil }
            return (100_000 / large) / (10_000 / small)
        }

        var rows: [Row] = []
        for (label, _) in sizes {
            let peers = [
                Peer(key: "gcd", label: "GCD", program: "gcd-\(label)"),
                Peer(key: "taskgroup", label: "withTaskGroup", program: "taskgroup-\(label)"),
                Peer(key: "cpython", label: "CPython", program: "cpython-\(label)"),
            ]
            for prefix in ["ours", "gcd", "taskgroup", "cpython"] {
                let program = programs.first { $0.key == "\(prefix)-\(label)" }!
                rows.append(measured.row(
                    suite: name, program: program.key, metric: "rate", what: program.name, unit: .tasksPerSecond,
                    peers: prefix == "ours" ? peers : [],
                    note: prefix == "cpython" ? "a tenth of the futures; rates compared" : nil))
            }
        }
        rows.append(measured.row(
            suite: name, program: "ours-100k", metric: "growth", what: "asCompleted: 100k time ÷ 10k time",
            unit: .factor, note: "10 is linear"))
        return SuiteReport(
            suite: name, title: "submit n trivial tasks (\(workers) workers), then asCompleted over their futures",
            rows: rows)
    }
}

/// Futures per second of "submit n tasks, then asCompleted over them, reading each result".
func asCompletedThroughput(futures count: Int, workers: Int) throws -> Double {
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    defer { pool.shutdown() }
    try startAllWorkers(pool)

    let start = now()
    let futures = try (0..<count).map { i in try pool.submit { trivialWork(i) } }
    var sum = 0
    let completed = try asCompleted(futures)
    while let future = try completed.next() {
        sum &+= try future.result()
    }
    let seconds = now() - start

    try verify(sum: sum, tasks: count)
    return Double(count) / seconds
}

/// GCD in finishing order: every task posts its index when done; the consumer takes them.
func gcdCompletionOrderThroughput(tasks: Int) throws -> Double {
    let results = ResultSlots(count: tasks)
    let channel = CompletionChannel(capacity: tasks)
    let queue = DispatchQueue.global()

    let start = now()
    for i in 0..<tasks {
        queue.async {
            results[i] = trivialWork(i)
            channel.post(i)
        }
    }
    var sum = 0
    for _ in 0..<tasks {
        sum &+= results[channel.next()]  // the channel's lock orders the task's write before this read
    }
    let seconds = now() - start

    try verify(sum: sum, tasks: tasks)
    return Double(tasks) / seconds
}
