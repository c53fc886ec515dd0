/// Something that runs functions for you and hands back a `Future` for each: the common shape
/// of `ThreadPoolExecutor` and of any executor you write yourself.
///
/// Python: the abstract class `concurrent.futures.Executor`. As in Python, `map` is built on
/// `submit` once, here, for every executor.
///
///     func crunch(on executor: any Executor) throws -> [Int] {
///         try Array(executor.map(1...100) { $0 * $0 })
///     }
public protocol Executor: AnyObject, Sendable {
    /// Schedules `task` to run and returns a future for its result.
    /// Python: `submit(fn, /, *args, **kwargs)`; in Swift the closure captures the arguments.
    /// - Throws: `ShutdownError` after `shutdown`, or the executor's broken-pool error.
    func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T>

    /// Stops accepting work and frees the executor's resources. Calling it twice is harmless.
    /// - Parameters:
    ///   - wait: wait until every queued and running task is finished and the workers are gone.
    ///   - cancelFutures: cancel the tasks that have not started yet.
    /// Python: `shutdown(wait=True, *, cancel_futures=False)`.
    func shutdown(wait: Bool, cancelFutures: Bool)
}

extension Executor {
    /// `shutdown(wait: true, cancelFutures: false)`, for any executor.
    public func shutdown() { shutdown(wait: true, cancelFutures: false) }
    /// `shutdown(wait: wait, cancelFutures: false)`, for any executor.
    public func shutdown(wait: Bool) { shutdown(wait: wait, cancelFutures: false) }

    /// Runs `transform` on every item concurrently and returns the results **in input order**,
    /// lazily: iterating blocks only until the next result in order is ready.
    ///
    /// - Parameters:
    ///   - items: the inputs. Python's `map(fn, a, b)` over several iterables is
    ///     `map(zip(a, b)) { a, b in ... }`.
    ///   - timeout: a deadline for the whole iteration, counted from this call. When it passes,
    ///     `next()` throws `TimeoutError` and the calls not yet started are cancelled.
    ///   - chunkSize: how many items each submitted task processes. `1` makes one task per item;
    ///     larger chunks save per-task cost when `transform` is tiny (Python's process pool uses
    ///     it; here every executor honours it).
    ///   - bufferSize: when set, at most this many tasks are submitted ahead of the consumer;
    ///     the rest are submitted as results are consumed (Python 3.14's `buffersize`). Use it
    ///     for huge or endless inputs. `nil` submits everything at once.
    ///   - transform: the function to run on each item.
    /// - Returns: `MapResults`: `try Array(results)`, or `while let x = try results.next()`.
    /// - Throws: `InvalidArgumentError` for `chunkSize < 1`, `bufferSize < 1` or a negative
    ///   timeout; `ShutdownError` or a broken-pool error from `submit`.
    ///
    /// An error thrown by `transform` is rethrown when iteration reaches its item; the calls
    /// that have not started are then cancelled. Dropping the results early also cancels what
    /// has not started. Python: `Executor.map(fn, *iterables, timeout=None, chunksize=1,
    /// buffersize=None)`.
    ///
    ///     let lengths = try Array(pool.map(urls) { url in try download(url).count })
    public func map<Items: Sequence, T: Sendable>(
        _ items: Items,
        timeout: Duration? = nil,
        chunkSize: Int = 1,
        bufferSize: Int? = nil,
        _ transform: @escaping @Sendable (Items.Element) throws -> T
    ) throws -> MapResults<T> where Items.Element: Sendable {
        guard chunkSize >= 1 else {
            throw InvalidArgumentError("chunkSize must be >= 1, got \(chunkSize)")
        }
        if let bufferSize, bufferSize < 1 {
            throw InvalidArgumentError("bufferSize must be >= 1, got \(bufferSize)")
        }
        let deadline = try Deadline.after(timeout)
        return try MapResults(
            executor: self, items: items, chunkSize: chunkSize, bufferSize: bufferSize,
            deadline: deadline, transform: transform
        )
    }
}
