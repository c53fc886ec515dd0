import ConcurrentFutures
import Dispatch

/// **map throughput**: `pool.map(0..<n) { trivialWork($0) }` on 2 workers (`--workers`), every result
/// collected in input order. With `chunkSize: 1` (Python's default) each item is a task of its
/// own; `chunkSize: 1000` (which Python's thread pool ignores, and this library honours) shows
/// what batching saves.
///
/// Peers: GCD async + group and concurrentPerform write each result to its own slot, which keeps
/// input order for free; `withTaskGroup` gets results in finishing order and puts each at its
/// index; CPython runs `list(pool.map(f, range(n)))` on a tenth of the items.
enum MapSuite: BenchSuite {
    static let name = "map"
    static let summary = "map over 1,000,000 trivial items on 2 workers (--workers), chunk sizes 1 and 1000"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let items = context.size(quick: 100_000, full: 1_000_000)
        let pythonItems = items / 10
        let warmUpItems = items / 10
        let workers = context.workers
        let programs = [
            Program.rate(
                key: "ours", name: "ThreadPoolExecutor.map, \(workers) workers",
                count: items, warmUpCount: warmUpItems
            ) { try mapThroughput(items: $0, chunkSize: 1, workers: workers) },
            Program(
                key: "ours-chunk1000", name: "ThreadPoolExecutor.map, chunkSize 1000",
                measure: { ["rate": try mapThroughput(items: items, chunkSize: 1000, workers: workers)] }),
        ] + gcdThroughputPrograms(tasks: items, warmUpTasks: warmUpItems) + [
            Program.rate(
                key: "taskgroup", name: "withTaskGroup, results in order",
                count: items, warmUpCount: warmUpItems
            ) { try taskGroupMapThroughput(items: $0) },
            context.python.program(
                key: "cpython", name: "CPython ThreadPoolExecutor(\(workers)).map", script: "thread_pool.py",
                arguments: ["map", "--tasks", "\(pythonItems)", "--workers", "\(workers)"]),
        ]
        let measured = alternate(programs, rounds: context.rounds, context: context, label: name)
        let rows = programs.map { program in
            measured.row(
                suite: name, program: program.key, metric: "rate", what: program.name, unit: .itemsPerSecond,
                peers: program.key.hasPrefix("ours") ? throughputPeers : [],
                note: program.key == "cpython" ? "CPython maps \(pythonItems.formatted) items (1/10); rates compared" : nil)
        }
        return SuiteReport(suite: name, title: "map over \(items.formatted) trivial items, \(workers) workers", rows: rows)
    }
}

/// Items per second of `Array(pool.map(...))` on a new pool of `workers`.
func mapThroughput(items: Int, chunkSize: Int, workers: Int) throws -> Double {
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    defer { pool.shutdown() }
    try startAllWorkers(pool)

    let start = now()
    let results = try Array(pool.map(0..<items, chunkSize: chunkSize) { trivialWork($0) })
    let seconds = now() - start

    try verify(sum: results.reduce(0, &+), tasks: items)
    guard results.last == trivialWork(items - 1) else { throw WrongResult("map returned results out of order") }
    return Double(items) / seconds
}

/// A task group that keeps input order: each child returns its index with its value.
func taskGroupMapThroughput(items: Int) throws -> Double {
    try blockingAwait {
        let start = now()
        let results = await withTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<items {
                group.addTask { (i, trivialWork(i)) }
            }
            var results = [Int](repeating: 0, count: items)
            for await (index, value) in group { results[index] = value }
            return results
        }
        let seconds = now() - start

        try verify(sum: results.reduce(0, &+), tasks: items)
        return Double(items) / seconds
    }
}
