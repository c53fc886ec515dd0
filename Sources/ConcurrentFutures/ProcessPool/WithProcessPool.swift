/// Runs `body` with a new process pool and shuts the pool down when `body` ends, waiting for
/// its calls and collecting its worker processes, also when `body` throws. The Swift
/// counterpart of Python's `with` statement.
///
///     # Python
///     if __name__ == "__main__":
///         with ProcessPoolExecutor(max_workers=2) as pool:
///             counts = list(pool.map(count_primes, limits))
///
///     // Swift: after ProcessPoolExecutor.runWorkerIfRequested(tasks: tasks) in main
///     let counts = try withProcessPool(tasks: tasks, maxWorkers: 2) { pool in
///         try Array(pool.map(CountPrimes.self, limits))
///     }
///
/// The parameters are those of `ProcessPoolExecutor.init`.
public func withProcessPool<Result>(
    tasks: [any ProcessTask.Type],
    maxWorkers: Int? = nil,
    initializer: ProcessInitializer? = nil,
    maxTasksPerChild: Int? = nil,
    executable: WorkerExecutable = .current,
    workerOutput: WorkerOutput = .forwardToStandardError,
    crashBacktraces: Bool = false,
    observer: (@Sendable (TaskEvent) -> Void)? = nil,
    _ body: (ProcessPoolExecutor) throws -> Result
) throws -> Result {
    let pool = try ProcessPoolExecutor(
        tasks: tasks, maxWorkers: maxWorkers, initializer: initializer, maxTasksPerChild: maxTasksPerChild,
        executable: executable, workerOutput: workerOutput, crashBacktraces: crashBacktraces, observer: observer)
    defer { pool.shutdown(wait: true) }
    return try body(pool)
}

/// The `async` form of `withProcessPool`, for use inside async code. Shutting down waits for
/// the workers, which blocks the calling thread for as long as their calls run.
public func withProcessPool<Result>(
    tasks: [any ProcessTask.Type],
    maxWorkers: Int? = nil,
    initializer: ProcessInitializer? = nil,
    maxTasksPerChild: Int? = nil,
    executable: WorkerExecutable = .current,
    workerOutput: WorkerOutput = .forwardToStandardError,
    crashBacktraces: Bool = false,
    observer: (@Sendable (TaskEvent) -> Void)? = nil,
    _ body: (ProcessPoolExecutor) async throws -> Result
) async throws -> Result {
    let pool = try ProcessPoolExecutor(
        tasks: tasks, maxWorkers: maxWorkers, initializer: initializer, maxTasksPerChild: maxTasksPerChild,
        executable: executable, workerOutput: workerOutput, crashBacktraces: crashBacktraces, observer: observer)
    defer { pool.shutdown(wait: true) }
    return try await body(pool)
}
