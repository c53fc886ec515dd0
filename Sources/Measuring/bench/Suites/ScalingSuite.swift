import ConcurrentFutures
import Dispatch
import SystemPlatform

/// **Scaling with cores**: does the pool keep its speed as workers are added? Three workloads of
/// 200,000 trivial tasks, each at 1, 2, 4, 8, ... workers up to the cores of the machine:
///
/// - **submit+result, one submitter**: one thread submits every task, then reads every result
///   (the `submit` suite's workload);
/// - **map, chunk size 1**: `Array(pool.map(0..<n) { trivialWork($0) })`;
/// - **n submitters, n workers**: n threads each submit their share and read their results.
///
/// Peers, in the same rounds: GCD `async` + `DispatchGroup` from one thread, and from n threads
/// for the n-submitter rows (GCD picks its own number of threads). Every row is also compared
/// with the pool's own 1-worker figure: adding workers must never make it slower.
///
/// Last, the cost of idle workers: the CPU time a pool of one worker per core uses in one second
/// with nothing to do (in percent of one core; the target is under 1 %).
///
/// Effects of many cores appear only on a machine that has them: on 2 cores the rows stop at 2
/// workers. `../shared/MANY-CORES.md` says how to build this tool for another Linux machine.
enum ScalingSuite: BenchSuite {
    static let name = "scaling"
    static let summary = "submit+result and map at 1, 2, 4, ... workers up to the cores, vs GCD; idle CPU"

    /// 1, 2, 4, ... up to `cores`, and `cores` itself.
    static func workerCounts(cores: Int) -> [Int] {
        var counts: [Int] = []
        var count = 1
        while count < cores {
            counts.append(count)
            count *= 2
        }
        return counts + [cores]
    }

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let tasks = context.size(quick: 50_000, full: 200_000)
        let warmUpTasks = tasks / 10
        let cores = availableCores()
        let counts = workerCounts(cores: cores)

        var programs = [
            Program.rate(
                key: "gcd", name: "GCD async + group, 1 submitter",
                count: tasks, warmUpCount: warmUpTasks
            ) { try gcdAsyncGroupThroughput(tasks: $0) },
        ]
        for workers in counts {
            programs += [
                Program.rate(
                    key: "submit-\(workers)", name: "submit+result, 1 submitter, \(workers) workers",
                    count: tasks, warmUpCount: warmUpTasks
                ) { try submitThroughput(tasks: $0, workers: workers) },
                Program.rate(
                    key: "map-\(workers)", name: "map, chunk size 1, \(workers) workers",
                    count: tasks, warmUpCount: warmUpTasks
                ) { try mapThroughput(items: $0, chunkSize: 1, workers: workers) },
                Program.rate(
                    key: "nsub-\(workers)", name: "\(workers) submitters, \(workers) workers",
                    count: tasks, warmUpCount: warmUpTasks
                ) { try submittersThroughput(tasks: $0, submitters: workers, pool: workers) },
                Program.rate(
                    key: "gcd-nsub-\(workers)", name: "GCD async + group, \(workers) submitters",
                    count: tasks, warmUpCount: warmUpTasks
                ) { try submittersThroughput(tasks: $0, submitters: workers, pool: nil) },
            ]
        }
        programs.append(Program(
            key: "idle", name: "idle pool of \(cores) workers, CPU over 1 s",
            measure: { ["cpu": try idlePoolCPU(workers: cores)] }, warmUp: {}))

        let measured = alternate(programs, rounds: context.rounds, context: context, label: name)
        var rows: [Row] = [
            measured.row(suite: name, program: "gcd", metric: "rate", what: programs[0].name, unit: .tasksPerSecond),
        ]
        for workers in counts {
            let gcd = Peer(key: "gcd", label: "GCD", program: "gcd")
            rows.append(measured.row(
                suite: name, program: "submit-\(workers)", metric: "rate",
                what: "submit+result, 1 submitter, \(workers) workers", unit: .tasksPerSecond,
                peers: [gcd, Peer(key: "one-worker", label: "1 worker", program: "submit-1")]))
            rows.append(measured.row(
                suite: name, program: "map-\(workers)", metric: "rate",
                what: "map, chunk size 1, \(workers) workers", unit: .itemsPerSecond,
                peers: [gcd, Peer(key: "one-worker", label: "1 worker", program: "map-1")]))
            rows.append(measured.row(
                suite: name, program: "nsub-\(workers)", metric: "rate",
                what: "\(workers) submitters, \(workers) workers", unit: .tasksPerSecond,
                peers: [
                    Peer(key: "gcd", label: "GCD, \(workers) submitters", program: "gcd-nsub-\(workers)"),
                    Peer(key: "one-worker", label: "1 worker", program: "nsub-1"),
                ]))
            rows.append(measured.row(
                suite: name, program: "gcd-nsub-\(workers)", metric: "rate",
                what: "GCD async + group, \(workers) submitters", unit: .tasksPerSecond))
        }
        rows.append(measured.row(
            suite: name, program: "idle", metric: "cpu", what: "idle pool of \(cores) workers, CPU over 1 s",
            unit: .percent, note: "percent of one core"))
        return SuiteReport(
            suite: name, title: "\(tasks.formatted) trivial tasks at 1 to \(cores) workers", rows: rows,
            notes: ["GCD chooses its own thread count; the '1 worker' ratio compares a row with the pool's own 1-worker row"])
    }
}

/// Tasks per second when `submitters` threads each submit `tasks / submitters` trivial tasks and
/// then read their results: to a new pool of `pool` workers, or (with `pool: nil`) to GCD with
/// `async` + `DispatchGroup`.
func submittersThroughput(tasks: Int, submitters: Int, pool workers: Int?) throws -> Double {
    let pool = try workers.map { try ThreadPoolExecutor(maxWorkers: $0) }
    defer { pool?.shutdown() }
    if let pool { try startAllWorkers(pool) }
    let share = tasks / submitters
    let sums = ResultSlots(count: submitters)
    let failures = LockedValue<[String]>([])
    let ready = DispatchGroup()
    let go = DispatchSemaphore(value: 0)

    var threads: [ThreadHandle] = []
    for submitter in 0..<submitters {
        ready.enter()
        let first = submitter * share
        let thread = try startThread(named: "submitter-\(submitter)") {
            ready.leave()
            go.wait()
            do {
                sums[submitter] = try submitShare(first..<(first + share), to: pool)
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }.get()
        threads.append(thread)
    }
    ready.wait()  // every submitter is started before the clock is

    let start = now()
    for _ in 0..<submitters { go.signal() }
    for thread in threads { thread.join() }
    let seconds = now() - start

    if let failure = failures.withLock({ $0.first }) { throw WrongResult(failure) }
    try verify(sum: sums.sum, tasks: share * submitters)
    return Double(share * submitters) / seconds
}

/// One submitter's share: its tasks, then their results (on `pool`, or on GCD).
private func submitShare(_ indices: Range<Int>, to pool: ThreadPoolExecutor?) throws -> Int {
    guard let pool else {
        let results = ResultSlots(count: indices.count)
        let group = DispatchGroup()
        for i in indices {
            DispatchQueue.global().async(group: group) { results[i - indices.lowerBound] = trivialWork(i) }
        }
        group.wait()
        return results.sum
    }
    var futures: [Future<Int>] = []
    futures.reserveCapacity(indices.count)
    for i in indices { futures.append(try pool.submit { trivialWork(i) }) }
    var sum = 0
    for future in futures { sum &+= try future.result() }
    return sum
}

/// The CPU time a pool of `workers` uses in one second with nothing to do, in percent of one
/// core. Every worker is started first (and has run a task), then left idle.
func idlePoolCPU(workers: Int) throws -> Double {
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    defer { pool.shutdown() }
    try startAllWorkers(pool)
    usleep(100_000)  // let the last task's worker finish watching the queue and sleep
    let before = resourceUsage(of: .currentProcess).cpu
    let start = now()
    usleep(1_000_000)
    let used = resourceUsage(of: .currentProcess).cpu - before
    let seconds = now() - start
    let (whole, fraction) = used.components
    return (Double(whole) + Double(fraction) / 1e18) / seconds * 100
}
