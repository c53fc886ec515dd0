import ConcurrentFutures

/// **Observer overhead**: what the observation hooks (`ThreadPoolExecutor(observer:)`) cost on
/// the submit + result workload.
///
/// Three programs, alternated like any others:
/// - **observer nil (A)** and **observer nil (B)**: the very same pool twice. Their difference
///   is pure noise: it shows the smallest overhead this run could have detected (an A/A test).
/// - **no-op observer**: an observer that does nothing. The pool then builds a `TaskEvent` and
///   reads the clock for each of the three events of every task, and calls the closure.
///
/// The target is about hooks *unused* (`observer: nil`), which cost one untaken branch per
/// event, and that is too little to measure against the A/A noise. The no-op observer's
/// overhead is an upper bound of it; see `observerTarget` in Targets.swift. (The truly fair
/// baseline, the library built with the hooks removed, needs a second copy of the library;
/// this folder's README.md describes that experiment and its result.)
enum ObserverSuite: BenchSuite {
    static let name = "observer"
    static let summary = "submit + result with observer nil (A/A) and a no-op observer: the hooks' overhead"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let workers = context.workers
        // Many short rounds rather than a few long ones: the differences looked for here are a
        // few percent, the machine's noise is tens of percent, and the median of many paired
        // rounds is what settles down (60 rounds of 50,000 tasks in a full run).
        let tasks = context.size(quick: 20_000, full: 50_000)
        let rounds = 8 * context.rounds + context.size(quick: 0, full: 20)
        let noOp: @Sendable (TaskEvent) -> Void = { _ in }
        let programs = [
            Program.rate(
                key: "nil-a", name: "observer nil (A)",
                count: tasks, warmUpCount: tasks
            ) { try submitThroughput(tasks: $0, workers: workers) },
            Program.rate(
                key: "nil-b", name: "observer nil (B), the same again",
                count: tasks, warmUpCount: tasks
            ) { try submitThroughput(tasks: $0, workers: workers) },
            Program.rate(
                key: "noop", name: "no-op observer",
                count: tasks, warmUpCount: tasks
            ) { try submitThroughput(tasks: $0, workers: workers, observer: noOp) },
        ]
        var measured = alternate(programs, rounds: rounds, context: context, label: name)

        // Overhead per round, in percent: how much longer each task took than with observer nil (A).
        let baseline = measured.series("nil-a", "rate")
        for key in ["nil-b", "noop"] {
            let other = measured.series(key, "rate")
            measured.derive(key, "overhead") { round in
                guard let base = baseline[round], let rate = other[round] else { return nil }
                return (base / rate - 1) * 100
            }
        }

        let vsA = [Peer(key: "nil-a", label: "observer nil (A)", program: "nil-a")]
        let rows = [
            measured.row(suite: name, program: "nil-a", metric: "rate", what: "observer nil (A)", unit: .tasksPerSecond),
            measured.row(
                suite: name, program: "nil-b", metric: "rate", what: "observer nil (B)", unit: .tasksPerSecond, peers: vsA),
            measured.row(
                suite: name, program: "noop", metric: "rate", what: "no-op observer", unit: .tasksPerSecond, peers: vsA),
            measured.row(
                suite: name, program: "nil-b", metric: "overhead", what: "A/A difference (noise floor)", unit: .percent,
                note: "the same pool twice: any difference is noise"),
            measured.row(
                suite: name, program: "noop", metric: "overhead", what: "overhead of a no-op observer", unit: .percent,
                note: "an upper bound for unused hooks (observer nil costs one untaken branch per event)"),
        ]
        return SuiteReport(
            suite: name, title: "observation hooks on submit + result of \(tasks.formatted) trivial tasks, \(workers) workers",
            rows: rows)
    }
}
