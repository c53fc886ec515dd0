// The code lesson 11 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file (the tasks are in Tasks.swift).

import ConcurrentFutures
import LessonSupport

/// Section 2: the ranges one after another on this thread.
func countOneByOne(_ ranges: [Range<Int>]) -> [Int] {
    // snippet: one-by-one
    let counts = ranges.map(countPrimes(in:))
    // snippet end
    return counts
}

/// Section 2: the ranges on a thread pool of `cores` threads.
func countOnThreads(_ ranges: [Range<Int>], cores: Int, recorder: TaskEventRecorder) throws -> [Int] {
    // snippet: threads
    let counts = try withThreadPool(maxWorkers: cores, threadNamePrefix: "thread",
                                    observer: recorder.record) { pool in
        try Array(pool.map(ranges, countPrimes(in:)))
    }
    // snippet end
    return counts
}

/// Section 2: the ranges on a process pool of `cores` worker processes.
func countInProcesses(_ ranges: [Range<Int>], cores: Int, recorder: TaskEventRecorder) throws -> [Int] {
    // snippet: processes
    let counts = try withProcessPool(tasks: lessonTasks, maxWorkers: cores, workerOutput: .discard,
                                     observer: recorder.record) { pool in
        try Array(pool.map(CountPrimes.self, ranges))
    }
    // snippet end
    return counts
}

/// Section 4: a good record, then a corrupt one that crashes the worker. `report` hears what
/// happened; the `BrokenProcessPool` is rethrown for the lesson to show.
func parseRecords(report: (String, String) -> Void) throws {
    // snippet: crash
    try withProcessPool(tasks: lessonTasks, maxWorkers: 1, workerOutput: .discard) { pool in
        let good = try pool.submit(ParseCorruptRecord.self, "42").result()
        report("record \"42\"", "parsed: \(good)")
        _ = try pool.submit(ParseCorruptRecord.self, "4x2").result()    // the worker dies
    }
    // snippet end
}

/// Section 5: six calls of the leaky task on one worker, with or without a limit per child.
func leakyRun(megabytes: Int, maxTasksPerChild: Int?) throws -> [WorkerReport] {
    // snippet: max-tasks
    let reports = try withProcessPool(tasks: lessonTasks, maxWorkers: 1, maxTasksPerChild: maxTasksPerChild,
                                      workerOutput: .discard) { pool in
        try Array(pool.map(LeakyParse.self, Array(repeating: megabytes, count: 6)))
    }
    // snippet end
    return reports
}

/// Section 6: three ways to break the registration rule. `report` gets each error.
func breakTheRule(report: (String, any Error) -> Void) throws {
    // snippet: rule
    try withProcessPool(tasks: lessonTasks, maxWorkers: 1, workerOutput: .discard) { pool in
        do { _ = try pool.submit { 6 * 7 } } catch { report("a closure", error) }
        do { _ = try pool.submit(Unlisted.self, 1) } catch { report("an unregistered task", error) }
        do { _ = try pool.submit(ReadOpenFile.self, OpenFile(descriptor: 0)) } catch { report("an input that cannot be encoded", error) }
    }
    // snippet end
}

/// Section 7: `count` squares, one call each, then in chunks of 500, on a warmed-up pool.
func squares(count: Int, cores: Int) throws -> (oneByOne: (result: [Int], duration: Duration), chunked: (result: [Int], duration: Duration)) {
    let numbers = Array(0..<count)
    return try withProcessPool(tasks: lessonTasks, maxWorkers: cores, workerOutput: .discard) { pool in
        _ = try pool.map(Square.self, 0..<(cores * 2)).next()  // start the workers first
        // snippet: chunks
        let single = try Stopwatch.measure { try Array(pool.map(Square.self, numbers)) }
        let chunked = try Stopwatch.measure { try Array(pool.map(Square.self, numbers, chunkSize: 500)) }
        // snippet end
        return (single, chunked)
    }
}

/// Section 8: a pool whose worker program lacks the guard (`/usr/bin/true` stands in for it).
func startWorkersWithoutTheGuard() throws {
    // snippet: no-guard
    try withProcessPool(tasks: lessonTasks, maxWorkers: 1, executable: .path("/usr/bin/true"),
                        workerOutput: .discard) { pool in
        _ = try pool.submit(Square.self, 7).result()
    }
    // snippet end
}
