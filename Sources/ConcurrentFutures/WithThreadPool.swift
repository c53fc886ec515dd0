/// Runs `body` with a new thread pool and shuts the pool down when `body` ends, waiting for its
/// tasks, also when `body` throws. The Swift counterpart of Python's `with` statement.
///
///     # Python
///     with ThreadPoolExecutor(max_workers=3) as pool:
///         results = list(pool.map(work, items))
///
///     // Swift
///     let results = try withThreadPool(maxWorkers: 3) { pool in
///         try Array(pool.map(items) { work($0) })
///     }
///
/// The parameters are those of `ThreadPoolExecutor.init`.
public func withThreadPool<Result>(
    maxWorkers: Int? = nil,
    threadNamePrefix: String = "",
    initializer: (@Sendable () throws -> Void)? = nil,
    observer: (@Sendable (TaskEvent) -> Void)? = nil,
    _ body: (ThreadPoolExecutor) throws -> Result
) throws -> Result {
    let pool = try ThreadPoolExecutor(
        maxWorkers: maxWorkers, threadNamePrefix: threadNamePrefix,
        initializer: initializer, observer: observer)
    defer { pool.shutdown(wait: true) }
    return try body(pool)
}

/// The `async` form of `withThreadPool`, for use inside async code (lesson 15). Shutting down
/// waits for the pool's threads, which blocks the calling thread for as long as they run.
///
/// `body` runs in the caller's isolation (the `isolation` parameter, as `withTaskGroup` has),
/// so it may use the caller's non-`Sendable` state.
public func withThreadPool<Result>(
    maxWorkers: Int? = nil,
    threadNamePrefix: String = "",
    initializer: (@Sendable () throws -> Void)? = nil,
    observer: (@Sendable (TaskEvent) -> Void)? = nil,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (ThreadPoolExecutor) async throws -> Result
) async throws -> Result {
    let pool = try ThreadPoolExecutor(
        maxWorkers: maxWorkers, threadNamePrefix: threadNamePrefix,
        initializer: initializer, observer: observer)
    defer { pool.shutdown(wait: true) }
    return try await body(pool)
}
