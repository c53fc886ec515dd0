/// The results of `Executor.map`, in input order, produced lazily.
///
///     let results = try pool.map(inputs) { slowSquare($0) }
///     while let square = try results.next() { print(square) }   // blocks per item
///     // or all at once:  let squares = try Array(pool.map(inputs) { slowSquare($0) })
///
/// Python's `map` returns a generator; Swift's `for ... in` cannot call a throwing `next()`,
/// hence `while let ... = try results.next()`.
///
/// - When a call threw, `next()` rethrows its error when iteration reaches that item, cancels
///   every call that has not started, and returns `nil` from then on.
/// - When the deadline passes, `next()` throws `TimeoutError` and cancels the same way.
/// - Dropping the results part-way through an iteration cancels the calls that have not
///   started. Dropping them before the first `next()` cancels nothing: every call runs, as
///   with Python, whose generator cleans up only once iteration has started
///   (`pool.map(f, items)` then `pool.shutdown()` runs every call).
///
/// It belongs to the thread that iterates it (it is not `Sendable`).
public final class MapResults<T: Sendable> {
    /// One submitted task: a single call (`chunkSize == 1`) or a chunk of calls.
    /// (Internal, not private: `ProcessPoolExecutor.map` submits these itself.)
    enum Submitted {
        case single(Future<T>)
        case chunk(Future<[T]>)

        @discardableResult func cancel() -> Bool {
            switch self {
            case .single(let future): future.cancel()
            case .chunk(let future): future.cancel()
            }
        }

        /// `map` owns its futures: when it drops one (after an error, a timeout, or because the
        /// results were dropped), nobody can read it any more, so an error it holds is not
        /// reported as "never retrieved". The error the caller did get was thrown by `next()`.
        func markOutcomeObserved() {
            switch self {
            case .single(let future): future.markOutcomeObserved()
            case .chunk(let future): future.markOutcomeObserved()
            }
        }
    }

    private var submitted = FIFOQueue<Submitted>()
    /// Submits the task for the next item (or chunk); `nil` once the input is used up.
    /// Kept only while `bufferSize` holds some of the input back.
    private var submitNext: (() throws -> Submitted?)?
    private let deadline: Deadline?
    /// Values of the chunk being handed out, and where we are in it.
    private var chunkValues: [T] = []
    private var chunkPosition = 0
    /// The error that ended a chunk early, thrown once its values have been handed out.
    private var chunkError: (any Error)?
    private var isFinished = false
    /// Whether `next()` has been called: only then does dropping the results cancel.
    private var iterationStarted = false

    init<Items: Sequence>(
        executor: some Executor,
        items: Items,
        chunkSize: Int,
        bufferSize: Int?,
        deadline: Deadline?,
        transform: @escaping @Sendable (Items.Element) throws -> T
    ) throws where Items.Element: Sendable {
        self.deadline = deadline
        let inputSize = items.underestimatedCount
        var iterator = items.makeIterator()
        let submitNext: () throws -> Submitted? = {
            if chunkSize == 1 {
                guard let item = iterator.next() else { return nil }
                return .single(try executor.submit { try transform(item) })
            }
            var chunk: [Items.Element] = []
            // Room for what the input says it has, never for `chunkSize` blindly: a chunk
            // size of `Int.max` must cost memory only for the items that exist.
            chunk.reserveCapacity(min(chunkSize, max(inputSize, 1)))
            while chunk.count < chunkSize, let item = iterator.next() { chunk.append(item) }
            if chunk.isEmpty { return nil }
            return .chunk(try executor.submit { [chunk] in try runChunk(chunk, transform) })
        }
        try submitFirstTasks(submitNext, bufferSize: bufferSize)
    }

    /// For executors whose tasks are not closures (`ProcessPoolExecutor`): `submitNext`
    /// submits the task for the next item or chunk, or returns `nil` at the end of the input.
    /// A chunk's future must fail with `PartialChunk` when the chunk stopped at an error.
    init(deadline: Deadline?, bufferSize: Int?, submitNext: @escaping () throws -> Submitted?) throws {
        self.deadline = deadline
        try submitFirstTasks(submitNext, bufferSize: bufferSize)
    }

    private func submitFirstTasks(_ submitNext: @escaping () throws -> Submitted?, bufferSize: Int?) throws {
        do {
            if let bufferSize {
                // Submit a first window of tasks; `next()` submits one more per task consumed.
                while submitted.count < bufferSize, let task = try submitNext() { submitted.append(task) }
                self.submitNext = submitNext
            } else {
                // Python submits every call at once, when `map` is called.
                while let task = try submitNext() { submitted.append(task) }
            }
        } catch {
            cancelRemaining()  // a submit failed (shutdown, broken pool): submit nothing half-way
            throw error
        }
    }

    deinit {
        if iterationStarted {
            cancelRemaining()
        } else {
            // Never iterated: the calls run (see above); nobody will read their outcomes.
            while let task = submitted.popFirst() { task.markOutcomeObserved() }
        }
    }

    /// The next result in input order, or `nil` at the end.
    public func next() throws -> T? {
        iterationStarted = true
        while true {
            if chunkPosition < chunkValues.count {
                defer { chunkPosition += 1 }
                return chunkValues[chunkPosition]
            }
            if let error = chunkError {
                chunkError = nil
                return try end(throwing: error)
            }
            if isFinished { return nil }
            // Keep the window full before waiting (as Python 3.14 does).
            if let submitNext {
                do {
                    if let task = try submitNext() { submitted.append(task) } else { self.submitNext = nil }
                } catch {
                    return try end(throwing: error)
                }
            }
            guard let task = submitted.popFirst() else {
                isFinished = true
                return nil
            }
            switch task {
            case .single(let future):
                let state: FutureState<T>
                do { state = try future.waitUntilDone(deadline: deadline) } catch { return try end(throwing: error) }
                switch state {
                case .finished(.success(let value)): return value
                case .finished(.failure(let error)): return try end(throwing: error)
                case .cancelled, .cancelledAndNotified: return try end(throwing: CancelledError())
                case .pending, .running:
                    future.cancel()
                    return try end(throwing: timeoutError())
                }
            case .chunk(let future):
                let state: FutureState<[T]>
                do { state = try future.waitUntilDone(deadline: deadline) } catch { return try end(throwing: error) }
                switch state {
                case .finished(.success(let values)):
                    (chunkValues, chunkPosition) = (values, 0)
                case .finished(.failure(let failure as PartialChunk<T>)):
                    (chunkValues, chunkPosition, chunkError) = (failure.values, 0, failure.error)
                case .finished(.failure(let error)): return try end(throwing: error)
                case .cancelled, .cancelledAndNotified: return try end(throwing: CancelledError())
                case .pending, .running:
                    future.cancel()
                    return try end(throwing: timeoutError())
                }
            }
        }
    }

    /// Calls `body` with each result in input order.
    public func forEach(_ body: (T) throws -> Void) throws {
        while let value = try next() { try body(value) }
    }

    private func timeoutError() -> TimeoutError {
        TimeoutError("map: the next result was not ready by the deadline given to map")
    }

    /// Stops the iteration: cancels what has not started, then throws `error`.
    private func end(throwing error: any Error) throws -> T? {
        cancelRemaining()
        throw error
    }

    private func cancelRemaining() {
        isFinished = true
        submitNext = nil
        while let task = submitted.popFirst() {
            task.cancel()
            task.markOutcomeObserved()
        }
    }
}

/// Runs one chunk of `map`: the calls in order, stopping at the first error.
private func runChunk<Item, T: Sendable>(_ chunk: [Item], _ transform: (Item) throws -> T) throws -> [T] {
    var values: [T] = []
    values.reserveCapacity(chunk.count)  // the chunk exists: its size is real
    for item in chunk {
        do {
            values.append(try transform(item))
        } catch {
            // Keep the values computed before the error: iteration hands them out first.
            throw PartialChunk(values: values, error: error)
        }
    }
    return values
}

/// A chunk that stopped at an error, with the values computed before it.
struct PartialChunk<T: Sendable>: Error {
    let values: [T]
    let error: any Error
}

extension Array where Element: Sendable {
    /// Collects all the results of a `map`, in input order.
    ///
    ///     let squares = try Array(pool.map(1...10) { $0 * $0 })
    public init(_ results: MapResults<Element>) throws {
        self = []
        while let value = try results.next() { append(value) }
    }
}
