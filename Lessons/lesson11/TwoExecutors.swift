// Section 9: one program, two executors. The program is written once against the `Executor`
// protocol; one argument, `ExecutorKind`, picks a thread pool or a process pool.
//
// Python's original:
//
//     def main(executor_class):
//         with executor_class(max_workers=4) as ex:
//             io = timed(lambda: list(ex.map(fetch_size, urls)))
//             cpu = timed(lambda: list(ex.map(count_primes, ranges)))
//         print(executor_class.__name__, io, cpu)
//
//     if __name__ == "__main__":
//         main(ThreadPoolExecutor)
//         main(ProcessPoolExecutor)

import ConcurrentFutures
import LessonSupport

// snippet: executor-kind
/// The one argument that switches the program between executors.
enum ExecutorKind: String, CaseIterable {
    case threads, processes

    /// The only place that knows which kind of executor the program runs on.
    func makeExecutor(workers: Int) throws -> any Executor {
        switch self {
        case .threads: try ThreadPoolExecutor(maxWorkers: workers)
        case .processes:
            try ProcessPoolExecutor(tasks: lessonTasks, maxWorkers: workers, workerOutput: .discard)
        }
    }
}

/// Submits a registered task to any executor: a process pool gets its name and input (a
/// closure cannot travel to another process); any other executor gets a plain call.
func submit<T: ProcessTask>(_ task: T.Type, _ input: T.Input, to executor: any Executor) throws -> Future<T.Output> {
    if let processes = executor as? ProcessPoolExecutor {
        return try processes.submit(task, input)
    }
    return try executor.submit { try task.run(input) }
}
// snippet end

/// How long the program took for each kind of work.
struct ProgramTimes {
    var io: Duration
    var cpu: Duration
    var bytes: Int
    var primes: Int
}

// snippet: program
/// The program: the same two jobs on whatever executor `kind` makes.
func runProgram(on kind: ExecutorKind, urls: [String], ranges: [Range<Int>]) throws -> ProgramTimes {
    let executor = try kind.makeExecutor(workers: 4)
    defer { executor.shutdown() }
    let (sizes, io) = try Stopwatch.measure {                  // I/O-bound: downloads
        try urls.map { try submit(FetchSize.self, $0, to: executor) }.map { try $0.result() }
    }
    let (counts, cpu) = try Stopwatch.measure {                // CPU-bound: prime counting
        try ranges.map { try submit(CountPrimes.self, $0, to: executor) }.map { try $0.result() }
    }
    return ProgramTimes(io: io, cpu: cpu, bytes: sizes.reduce(0, +), primes: counts.reduce(0, +))
}
// snippet end
