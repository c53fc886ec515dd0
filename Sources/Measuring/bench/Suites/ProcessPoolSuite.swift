import ConcurrentFutures
import SystemPlatform

/// **Process pool**: `ProcessPoolExecutor` against CPython's, with the "spawn" and "fork"
/// start methods. Three things are measured in each round:
///
/// - **start-up**: create a pool of 2 workers, submit one call, wait for its result (the
///   median of 3 tries). Our workers are new runs of this very program (`posix_spawn`, like
///   Python's "spawn"); "fork" copies the parent instead, which Python can do and we don't.
/// - **round trip**: one call at a time on a warm pool: encode, send over the socket, run,
///   send back, decode.
/// - **map** of trivial calls on a warm pool of 2 workers at chunk sizes 1, 100 and 1000:
///   with tiny calls, the messages are all the cost, and chunks amortize them.
///
/// "Warm" means both workers were started and each ran a call before the clock started.
/// At chunk size 1 both map fewer items (CPython fewer still); rates are compared.
enum ProcessPoolSuite: BenchSuite {
    static let name = "process"
    static let summary = "process pool start-up, round trip, and map at chunk sizes 1, 100, 1000"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        // Chunk size 1 sends a message per item, tens of microseconds each: fewer items.
        let items = context.size(quick: 20_000, full: 100_000)
        let chunk1Items = context.size(quick: 5_000, full: 20_000)
        let pythonChunk1Items = context.size(quick: 1_000, full: 5_000)
        let roundTrips = context.size(quick: 500, full: 2_000)
        let startups = context.size(quick: 2, full: 3)
        let programs = [
            Program(
                key: "ours", name: "ProcessPoolExecutor",
                measure: {
                    try processPoolMetrics(
                        items: items, chunk1Items: chunk1Items, roundTrips: roundTrips, startups: startups)
                },
                warmUp: {
                    _ = try processPoolMetrics(items: items / 10, chunk1Items: 500, roundTrips: 100, startups: 1)
                }),
        ] + ["spawn", "fork"].map { method in
            context.python.program(
                key: "cpython-\(method)", name: "CPython \(method)", script: "process_pool.py",
                arguments: [
                    "--method", method, "--items", "\(items)", "--chunk1-items", "\(pythonChunk1Items)",
                    "--round-trips", "\(roundTrips)", "--startups", "\(startups)",
                ])
        }
        // CPython's pools are slow to start (spawn): two rounds are enough for a quick look.
        let rounds = context.quick ? min(context.rounds, 2) : context.rounds
        let measured = alternate(programs, rounds: rounds, context: context, label: name)

        let metrics: [(metric: String, what: String, unit: Unit)] = [
            ("startup_ms", "start-up", .milliseconds),
            ("roundtrip_p50_us", "round trip p50", .microseconds),
            ("roundtrip_p99_us", "round trip p99", .microseconds),
            ("map_chunk1", "map, chunk 1", .itemsPerSecond),
            ("map_chunk100", "map, chunk 100", .itemsPerSecond),
            ("map_chunk1000", "map, chunk 1000", .itemsPerSecond),
        ]
        let peers = [
            Peer(key: "cpython-spawn", label: "CPython spawn", program: "cpython-spawn"),
            Peer(key: "cpython-fork", label: "CPython fork", program: "cpython-fork"),
        ]
        var rows: [Row] = []
        for (metric, what, unit) in metrics {
            for program in programs {
                let isOurs = program.key == "ours"
                rows.append(measured.row(
                    suite: name, program: program.key, metric: metric, what: "\(what), \(program.name)", unit: unit,
                    peers: isOurs ? peers : []))
            }
        }
        return SuiteReport(
            suite: name,
            title: "ProcessPoolExecutor vs CPython's (spawn, fork), 2 workers: start-up (new pool to first result), "
                + "round trip, map of trivial calls",
            rows: rows,
            notes: [
                "map: \(items.formatted) items at chunk sizes 100 and 1000; at chunk size 1, ours maps "
                    + "\(chunk1Items.formatted) and CPython \(pythonChunk1Items.formatted); rates are compared",
                "start-up is the median of \(startups) pools a round; CPython's spawn re-imports the script in each worker",
                "our workers are fresh runs of the bench binary; its start-up includes loading the Swift runtime, "
                    + "FoundationEssentials and Dispatch",
            ])
    }
}

// MARK: - The tasks the bench's worker processes run

/// x → x: a call that costs nothing, so that what is measured is the call itself.
enum BenchIdentity: ProcessTask {
    static func run(_ x: Int) -> Int { x }
}

/// Sleeps, then returns the worker's pid: keeps one worker busy while a pool is warmed up,
/// so that the next call goes to (and starts) the other worker.
enum BenchPause: ProcessTask {
    static func run(_ milliseconds: Int) -> Int {
        usleep(UInt32(milliseconds * 1000))
        return Int(getpid())
    }
}

/// Every task the bench registers: main.swift passes it to the worker hook, and every pool
/// of the bench is created with it.
let benchProcessTasks: [any ProcessTask.Type] = [BenchIdentity.self, BenchPause.self]

// MARK: - The measurement

/// Start-up, round trip and map figures of our process pool.
func processPoolMetrics(items: Int, chunk1Items: Int, roundTrips: Int, startups: Int) throws -> [String: Double] {
    var metrics: [String: Double] = [:]

    var startupTimes: [Double] = []
    for _ in 0..<startups {
        let start = now()
        let pool = try ProcessPoolExecutor(tasks: benchProcessTasks, maxWorkers: 2)
        _ = try pool.submit(BenchIdentity.self, 1).result()
        startupTimes.append(now() - start)
        pool.shutdown()
    }
    metrics["startup_ms"] = median(startupTimes) * 1000

    try withProcessPool(tasks: benchProcessTasks, maxWorkers: 2) { pool in
        // Warm: both workers started, each ran a call.
        let pauses = try (0..<2).map { _ in try pool.submit(BenchPause.self, 20) }
        let pids = try Set(pauses.map { try $0.result() })
        guard pids.count == 2 else { throw WrongResult("the warm-up reached \(pids.count) worker(s), not 2") }
        for i in 0..<100 { _ = try pool.submit(BenchIdentity.self, i).result() }

        var samples: [Double] = []
        samples.reserveCapacity(roundTrips)
        for i in 0..<roundTrips {
            let start = now()
            _ = try pool.submit(BenchIdentity.self, i).result()
            samples.append(now() - start)
        }
        samples.sort()
        metrics["roundtrip_p50_us"] = percentile(samples, 0.50) * 1e6
        metrics["roundtrip_p99_us"] = percentile(samples, 0.99) * 1e6

        for chunkSize in [1, 100, 1000] {
            let count = chunkSize == 1 ? chunk1Items : items
            let start = now()
            let results = try Array(pool.map(BenchIdentity.self, 0..<count, chunkSize: chunkSize))
            let seconds = now() - start
            guard results.count == count, results.last == count - 1 else {
                throw WrongResult("map returned \(results.count) results, expected \(count)")
            }
            metrics["map_chunk\(chunkSize)"] = Double(count) / seconds
        }
    }
    return metrics
}
