/// Yields futures one by one as they finish: those already done first, then each of the others
/// the moment it is done (finished or cancelled). Each future is yielded once, even if it was
/// passed twice.
///
/// - Parameters:
///   - futures: the futures to watch.
///   - timeout: a deadline for the whole loop, counted from this call; `nil` for none.
/// - Returns: an iterator. Its `next()` throws `TimeoutError("2 (of 5) futures unfinished")`
///   when the deadline passes before every future is done.
///
/// Python: `concurrent.futures.as_completed(fs, timeout=None)`.
///
///     // Python: for future in as_completed(futures, timeout=5):
///     let completed = try asCompleted(futures, timeout: .seconds(5))
///     while let future = try completed.next() {
///         print(inputs[future]!, try future.result())
///     }
///     // or: try asCompleted(futures).forEach { future in ... }
///
/// Swift's `for ... in` cannot call a throwing `next()`, hence the `while let` loop.
public func asCompleted<Value>(_ futures: some Sequence<Future<Value>>, timeout: Duration? = nil) throws -> AsCompleted<Future<Value>> {
    try AsCompleted(Array(futures), deadline: Deadline.after(timeout))
}

/// `asCompleted` for futures of different value types; it yields `AnyFuture`s.
// `@_disfavoredOverload`: when every future in an array literal has the same type, Swift
// would otherwise pick this overload (it is not generic) and hand back `AnyFuture`s. The
// attribute makes it the last resort, used only when the futures' types really differ.
@_disfavoredOverload
public func asCompleted(_ futures: [any FutureProtocol], timeout: Duration? = nil) throws -> AsCompleted<AnyFuture> {
    try AsCompleted(futures.map(\.erased), deadline: Deadline.after(timeout))
}

/// The iterator returned by `asCompleted`. Call `next()` until it returns `nil`.
///
/// Dropping it before the end is fine: it unregisters itself from the futures it still waits on.
/// It lets go of each future as it yields it, so a loop over many large results holds only
/// the ones it has not reached yet (Python: bpo-27144). It belongs to the thread that iterates
/// it (it is not `Sendable`).
public final class AsCompleted<F: Hashable & Sendable> {
    /// The futures not yielded yet, by index (`nil` once yielded), seen both as themselves and
    /// through the library-internal interface that registers waiters.
    private var futures: [F?]
    private var waitables: [(any UntypedFuture)?]
    private let count: Int
    private let waiter = FutureWaiter()
    private let deadline: Deadline?
    /// Indices of futures that are done and not yet yielded, in the order they were found done.
    private var ready = FIFOQueue<Int>()
    /// Which futures (by index) have not finished yet, and how many. A flag per index rather
    /// than a `Set<Int>`: the indices are 0..<count, and an array needs no hashing.
    /// A pending future is still registered with the waiter.
    private var isPending: [Bool]
    private var pendingCount = 0

    init(_ input: [F], deadline: Deadline?) where F: UntypedFuture {
        var seen = Set<F>(minimumCapacity: input.count)
        let unique = input.filter { seen.insert($0).inserted }
        // Built element by element: assigning `unique` itself would convert the array at run
        // time through Swift's dynamic casts, about 1,300 instructions per future (callgrind).
        futures = unique.map { $0 }
        waitables = unique.map { $0 }
        count = unique.count
        self.deadline = deadline
        isPending = Array(repeating: false, count: unique.count)
        for (index, future) in unique.enumerated() {
            if future.register(waiter, token: index) != nil {
                ready.append(index)  // already done: yielded first
            } else {
                isPending[index] = true
                pendingCount += 1
            }
        }
    }

    deinit {
        for index in 0..<count where isPending[index] { waitables[index]?.unregister(waiter) }
    }

    /// The next future to finish, or `nil` when every future has been yielded.
    ///
    /// - Throws: `TimeoutError` when the deadline passes first. A later call still yields the
    ///   futures that finished in the meantime, then throws again.
    public func next() throws -> F? {
        while ready.isEmpty {
            if pendingCount == 0 { return nil }
            let finished: [(token: Int, completion: Completion)]
            if let deadline, deadline.hasPassed {
                finished = waiter.takeNotificationsWithoutWaiting()
                if finished.isEmpty {
                    throw TimeoutError("\(pendingCount) (of \(count)) futures unfinished")
                }
            } else {
                finished = try sleep(
                    on: waiter, until: deadline,
                    awaiting: (0..<count).filter { isPending[$0] }.map { waitables[$0]?.origin })
            }
            for (index, _) in finished where isPending[index] {
                isPending[index] = false
                pendingCount -= 1
                ready.append(index)
            }
        }
        let index = ready.popFirst()!
        defer { futures[index] = nil; waitables[index] = nil }  // yielded: not ours to keep
        return futures[index]
    }

    /// Calls `body` with each future as it finishes.
    public func forEach(_ body: (F) throws -> Void) throws {
        while let future = try next() { try body(future) }
    }
}

extension Array where Element: Hashable & Sendable {
    /// Collects every future of an `asCompleted` loop, in the order they finished.
    public init(_ completed: AsCompleted<Element>) throws {
        self = []
        while let future = try completed.next() { append(future) }
    }
}
