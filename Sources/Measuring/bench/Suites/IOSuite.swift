import ConcurrentFutures
import Dispatch
import SystemPlatform

/// **I/O-like tasks**: 100 tasks that each block for 50 ms (`usleep`, standing in for a network
/// call), on pools of 1, 10, 50 and 100 workers. Blocked threads use no CPU, so n workers should
/// finish in ⌈100 / n⌉ × 50 ms: 5 s, 0.5 s, 0.1 s, 0.05 s. The "ideal" ratio is that time
/// divided by the measured one (1.00 = no overhead at all). The clock covers creating the pool,
/// which starts its threads as tasks arrive.
///
/// Peers: GCD with a semaphore limiting it to n tasks at once (GCD's global queue has no
/// worker count of its own), `withTaskGroup` keeping n children in flight that sleep with
/// `Task.sleep` (blocking a thread of Swift's small cooperative pool with `usleep` would
/// serialize them; async code must not block), CPython `ThreadPoolExecutor(n)` with `time.sleep`.
enum IOSuite: BenchSuite {
    static let name = "io"
    static let summary = "100 I/O-like tasks of 50 ms on 1, 10, 50 and 100 workers: efficiency against the ideal"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        let tasks = 100
        let sleepMilliseconds = context.size(quick: 5, full: 50)
        // Sleeping is not noisy the way computing is, and 1 worker takes 100 sleeps a round.
        let rounds = min(context.rounds, context.size(quick: 2, full: 3))
        var rows: [Row] = []
        for workers in [1, 10, 50, 100] {
            let programs = [
                Program(
                    key: "ours-\(workers)", name: "ThreadPoolExecutor, \(workers) worker\(workers == 1 ? "" : "s")",
                    measure: { ["seconds": try poolIOTime(tasks: tasks, workers: workers, milliseconds: sleepMilliseconds)] },
                    warmUp: { _ = try poolIOTime(tasks: workers, workers: workers, milliseconds: 1) }),
                Program(
                    key: "gcd-\(workers)", name: "GCD async, semaphore of \(workers)",
                    measure: { ["seconds": gcdIOTime(tasks: tasks, width: workers, milliseconds: sleepMilliseconds)] },
                    warmUp: { _ = gcdIOTime(tasks: workers, width: workers, milliseconds: 1) }),
                Program(
                    key: "taskgroup-\(workers)", name: "withTaskGroup, \(workers) in flight, Task.sleep",
                    measure: {
                        ["seconds": try taskGroupIOTime(tasks: tasks, width: workers, milliseconds: sleepMilliseconds)]
                    },
                    warmUp: { _ = try taskGroupIOTime(tasks: workers, width: workers, milliseconds: 1) }),
                context.python.program(
                    key: "cpython-\(workers)", name: "CPython ThreadPoolExecutor(\(workers))", script: "thread_pool.py",
                    arguments: ["io", "--tasks", "\(tasks)", "--workers", "\(workers)", "--sleep-ms", "\(sleepMilliseconds)"]),
            ]
            var measured = alternate(programs, rounds: rounds, context: context, label: "\(name), \(workers) worker\(workers == 1 ? "" : "s")")
            let ideal = Double((tasks + workers - 1) / workers * sleepMilliseconds) / 1000
            measured.derive("ideal", "seconds") { _ in ideal }

            let idealPeer = Peer(key: "ideal", label: "ideal (\(significant(ideal)) s)", program: "ideal")
            for program in programs {
                let peers =
                    program.key.hasPrefix("ours")
                    ? [idealPeer,
                       Peer(key: "gcd", label: "GCD", program: "gcd-\(workers)"),
                       Peer(key: "taskgroup", label: "withTaskGroup", program: "taskgroup-\(workers)"),
                       Peer(key: "cpython", label: "CPython", program: "cpython-\(workers)")]
                    : [idealPeer]
                rows.append(measured.row(
                    suite: name, program: program.key, metric: "seconds", what: program.name, unit: .seconds,
                    peers: peers))
            }
        }
        return SuiteReport(
            suite: name, title: "\(tasks) tasks that each block \(sleepMilliseconds) ms, on n workers",
            rows: rows,
            notes: ["\"ideal\" is ⌈\(tasks)/n⌉ × \(sleepMilliseconds) ms; its ratio is the efficiency (1.00 = no overhead)"]
                + (context.quick ? ["--quick uses \(sleepMilliseconds) ms tasks instead of 50 ms"] : []))
    }
}

/// Seconds to run `tasks` blocking sleeps on a new pool of `workers` threads.
func poolIOTime(tasks: Int, workers: Int, milliseconds: Int) throws -> Double {
    let start = now()
    let pool = try ThreadPoolExecutor(maxWorkers: workers)
    let futures = try (0..<tasks).map { _ in
        try pool.submit {
            usleep(UInt32(milliseconds * 1000))
            return 1
        }
    }
    var finished = 0
    for future in futures { finished += try future.result() }
    let seconds = now() - start
    pool.shutdown()
    guard finished == tasks else { throw WrongResult("\(finished) of \(tasks) tasks finished") }
    return seconds
}

/// GCD: at most `width` sleeps at once, enforced by a counting semaphore.
func gcdIOTime(tasks: Int, width: Int, milliseconds: Int) -> Double {
    let queue = DispatchQueue.global()
    let group = DispatchGroup()
    let slots = DispatchSemaphore(value: width)
    let start = now()
    for _ in 0..<tasks {
        slots.wait()
        queue.async(group: group) {
            usleep(UInt32(milliseconds * 1000))
            slots.signal()
        }
    }
    group.wait()
    return now() - start
}

/// A task group with at most `width` children, each sleeping without blocking a thread.
func taskGroupIOTime(tasks: Int, width: Int, milliseconds: Int) throws -> Double {
    try blockingAwait {
        let start = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            while started < min(width, tasks) {
                group.addTask { try await Task.sleep(for: .milliseconds(milliseconds)) }
                started += 1
            }
            while try await group.next() != nil {
                if started < tasks {
                    group.addTask { try await Task.sleep(for: .milliseconds(milliseconds)) }
                    started += 1
                }
            }
        }
        return now() - start
    }
}
