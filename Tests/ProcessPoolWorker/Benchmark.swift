import ConcurrentFutures
import SystemPlatform
import ProcessPoolTestTasks

/// What the benchmark measures, each as the median of several rounds:
///
/// - **startup**: create a pool of 2 workers, submit one call, wait for its result.
/// - **throughput**: `map` of 100,000 trivial calls (`Identity`) on 2 warm workers, at chunk
///   sizes 1, 100 and 1000: items per second.
/// - **cpu**: 64 calls of real arithmetic (`CountPrimes`) done sequentially in this process,
///   then on warm pools of 1 and 2 workers: the speed-up over sequential. The same work on a
///   `ThreadPoolExecutor` of 2 threads shows how much parallelism the machine offers meanwhile.
///
/// With `--json`, every figure is also printed as one JSON line, for
/// `python/compare_process_pools.py`.
func runBenchmarks(_ arguments: [String]) throws {
    let which = arguments.first ?? "all"
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? 5
    let json = arguments.contains("--json")
    let pipelined = arguments.contains("--pipelined")
    let chunkSizes = arguments.firstIndex(of: "--chunk").flatMap { Int(arguments[$0 + 1]) }.map { [$0] } ?? [1000, 100, 1]

    func report(_ name: String, _ value: Double, _ unit: String) {
        print("\(name): \(formatted(value)) \(unit)")
        if json { print("{\"name\": \"\(name)\", \"value\": \(value), \"unit\": \"\(unit)\"}") }
    }

    if which == "startup" || which == "all" {
        var times: [Double] = []
        for _ in 0..<max(rounds, 5) * 3 {
            let start = now()
            let pool = try ProcessPoolExecutor(tasks: processPoolTestTasks, maxWorkers: 2)
            _ = try pool.submit(Identity.self, 1).result()
            times.append(now() - start)
            pool.shutdown()
        }
        report("startup_ms", median(times) * 1000, "ms")
    }

    if which == "throughput" || which == "all" {
        let items = 100_000
        for chunkSize in chunkSizes {
            var rates: [Double] = []
            for _ in 0..<rounds {
                try withProcessPool(tasks: processPoolTestTasks, maxWorkers: 2) { pool in
                    try warmUp(pool, workers: 2)
                    // Then a smaller map at the same chunk size, untimed (the Python script does the same).
                    _ = try Array(pool.map(Identity.self, 0..<(chunkSize > 1 ? items / 10 : 2_000), chunkSize: chunkSize))
                    let start = now()
                    let results = try Array(pool.map(Identity.self, 0..<items, chunkSize: chunkSize, bufferSize: pipelined ? items : nil))
                    let elapsed = now() - start
                    precondition(results.count == items && results.last == items - 1)
                    rates.append(Double(items) / elapsed)
                }
            }
            report("map_chunk\(chunkSize)_items_per_s", median(rates), "items/s")
        }
    }

    if which == "cpu" || which == "all" {
        let ranges = (0..<64).map { PrimeRange(2_000_000 + $0 * 30_000, 2_000_000 + $0 * 30_000 + 30_000) }
        let expected = ranges.map(countPrimes)
        var sequential: [Double] = []
        var oneWorker: [Double] = []
        var twoWorkers: [Double] = []
        var twoThreads: [Double] = []
        for _ in 0..<rounds {
            // Alternate the three, so that a slow moment of the machine hits all of them.
            var start = now()
            let counts = ranges.map(countPrimes)
            sequential.append(now() - start)
            precondition(counts == expected)
            for (workers, times) in [(1, 0), (2, 1)] {
                try withProcessPool(tasks: processPoolTestTasks, maxWorkers: workers) { pool in
                    try warmUp(pool, workers: workers)
                    start = now()
                    let counts = try Array(pool.map(CountPrimes.self, ranges))
                    let elapsed = now() - start
                    precondition(counts == expected)
                    if times == 0 { oneWorker.append(elapsed) } else { twoWorkers.append(elapsed) }
                }
            }
            // The same work on two threads: how much parallelism the machine offers right now.
            try withThreadPool(maxWorkers: 2) { pool in
                start = now()
                let counts = try Array(pool.map(ranges) { countPrimes($0) })
                twoThreads.append(now() - start)
                precondition(counts == expected)
            }
        }
        report("cpu_sequential_ms", median(sequential) * 1000, "ms")
        report("cpu_1_worker_ms", median(oneWorker) * 1000, "ms")
        report("cpu_2_workers_ms", median(twoWorkers) * 1000, "ms")
        report("cpu_speedup_1_worker", median(sequential) / median(oneWorker), "x")
        report("cpu_speedup_2_workers", median(sequential) / median(twoWorkers), "x")
        report("cpu_2_threads_ms", median(twoThreads) * 1000, "ms")
        report("cpu_speedup_2_threads", median(sequential) / median(twoThreads), "x")
    }
}

/// Starts `workers` worker processes and lets each run a call, so the measurement that
/// follows does not include start-up.
private func warmUp(_ pool: ProcessPoolExecutor, workers: Int) throws {
    let slow = try (0..<workers).map { _ in try pool.submit(SleepThenReportPID.self, 20) }
    for future in slow { _ = try future.result() }
    precondition(pool.workerProcessIDs.count == workers)
}

private func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

private func formatted(_ value: Double) -> String {
    value >= 1000 ? String(Int(value.rounded())) : String(Double(Int(value * 100)) / 100)
}
