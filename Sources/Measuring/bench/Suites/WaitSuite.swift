import ConcurrentFutures
import Dispatch

/// **wait(.firstCompleted) in a loop**: the "keep W tasks in flight" pattern. Submit W tasks;
/// then repeatedly wait until at least one is done, take the done ones' results, and submit
/// new tasks to get back to W, until n tasks have run. W = 32, 2 workers (`--workers`).
///
///     # Python
///     done, not_done = wait(not_done, return_when=FIRST_COMPLETED)
///
/// Each `wait` call registers a waiter with every future still in flight and builds the two
/// sets, so this measures `wait`'s fixed cost per call, not just the pool's.
///
/// Peers: GCD (a completion channel: take the next finished index, submit one more),
/// `withTaskGroup` (`group.next()`, add one more child), CPython `wait(FIRST_COMPLETED)` on a
/// tenth of the tasks.
enum WaitSuite: BenchSuite {
    static let name = "wait"
    static let summary = "wait(.firstCompleted) in a loop, 32 tasks in flight"
    static let window = 32

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let tasks = context.size(quick: 10_000, full: 50_000)
        let workers = context.workers
        let programs = [
            Program(
                key: "ours", name: "wait(.firstCompleted) loop",
                measure: { ["rate": try waitLoopThroughput(tasks: tasks, window: window, workers: workers)] }),
            Program(
                key: "gcd", name: "GCD completion channel loop",
                measure: { ["rate": try gcdWindowThroughput(tasks: tasks, window: window)] }),
            Program(
                key: "taskgroup", name: "withTaskGroup next() loop",
                measure: { ["rate": try taskGroupWindowThroughput(tasks: tasks, window: window)] }),
            context.python.program(
                key: "cpython", name: "CPython wait(FIRST_COMPLETED) loop", script: "thread_pool.py",
                arguments: ["wait", "--tasks", "\(tasks / 10)", "--window", "\(window)", "--workers", "\(workers)"]),
        ]
        let measured = alternate(programs, rounds: context.rounds, context: context, label: name)
        let peers = [
            Peer(key: "gcd", label: "GCD", program: "gcd"),
            Peer(key: "taskgroup", label: "withTaskGroup", program: "taskgroup"),
            Peer(key: "cpython", label: "CPython", program: "cpython"),
        ]
        let rows = programs.map { program in
            measured.row(
                suite: name, program: program.key, metric: "rate", what: program.name, unit: .tasksPerSecond,
                peers: program.key == "ours" ? peers : [],
                note: program.key == "cpython" ? "\((tasks / 10).formatted) tasks (1/10); rates compared" : nil)
        }
        return SuiteReport(
            suite: name, title: "\(tasks.formatted) trivial tasks, \(window) in flight, \(workers) workers", rows: rows)
    }
}

/// Tasks per second of the wait loop on a new pool of `workers`.
func waitLoopThroughput(tasks: Int, window: Int, workers: Int) throws -> Double {
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    defer { pool.shutdown() }
    try startAllWorkers(pool)

    let start = now()
    var submitted = 0
    var inFlight = Set<Future<Int>>()
    var sum = 0
    func topUp() throws {
        while inFlight.count < window && submitted < tasks {
            let i = submitted
            inFlight.insert(try pool.submit { trivialWork(i) })
            submitted += 1
        }
    }
    try topUp()
    while !inFlight.isEmpty {
        let (done, notDone) = try wait(inFlight, returnWhen: .firstCompleted)
        for future in done { sum &+= try future.result() }
        inFlight = notDone
        try topUp()
    }
    let seconds = now() - start

    try verify(sum: sum, tasks: tasks)
    return Double(tasks) / seconds
}

/// GCD: take the next finished task from the channel, then start one more.
func gcdWindowThroughput(tasks: Int, window: Int) throws -> Double {
    let results = ResultSlots(count: tasks)
    let channel = CompletionChannel(capacity: tasks)
    let queue = DispatchQueue.global()
    func start(_ i: Int) {
        queue.async {
            results[i] = trivialWork(i)
            channel.post(i)
        }
    }

    let begin = now()
    var submitted = min(window, tasks)
    for i in 0..<submitted { start(i) }
    var sum = 0
    for _ in 0..<tasks {
        sum &+= results[channel.next()]
        if submitted < tasks {
            start(submitted)
            submitted += 1
        }
    }
    let seconds = now() - begin

    try verify(sum: sum, tasks: tasks)
    return Double(tasks) / seconds
}

/// A task group with at most `window` children: each finished child makes room for one more.
func taskGroupWindowThroughput(tasks: Int, window: Int) throws -> Double {
    try blockingAwait {
        let start = now()
        let sum = await withTaskGroup(of: Int.self) { group in
            var submitted = 0
            while submitted < min(window, tasks) {
                let i = submitted
                group.addTask { trivialWork(i) }
                submitted += 1
            }
            var sum = 0
            while let value = await group.next() {
                sum &+= value
                if submitted < tasks {
                    let i = submitted
                    group.addTask { trivialWork(i) }
                    submitted += 1
                }
            }
            return sum
        }
        let seconds = now() - start

        try verify(sum: sum, tasks: tasks)
        return Double(tasks) / seconds
    }
}
