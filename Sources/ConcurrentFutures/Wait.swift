/// When `wait` should return. Python: the constants `FIRST_COMPLETED`, `FIRST_EXCEPTION` and
/// `ALL_COMPLETED`.
public enum ReturnWhen: Sendable {
    /// As soon as any future is done (finished or cancelled).
    case firstCompleted
    /// As soon as any future finishes by throwing; if none throws, when all are done.
    /// (A cancelled future is not an exception, as in Python.)
    case firstException
    /// When every future is done.
    case allCompleted
}

/// Waits until some or all of `futures` are done, and splits them into the done and the not
/// done.
///
/// - Parameters:
///   - futures: the futures to wait on; duplicates count once.
///   - timeout: how long to wait at most; `nil` waits as long as it takes. Running out of time
///     is not an error: you get the two sets as they are then.
///   - returnWhen: when to stop waiting (default `.allCompleted`).
/// - Returns: `done`, the futures that are finished or cancelled, and `notDone`, the others.
/// - Throws: `InvalidArgumentError` for a negative timeout.
///
/// Python: `concurrent.futures.wait(fs, timeout=None, return_when=ALL_COMPLETED)`.
///
///     let (done, notDone) = try wait(futures, timeout: .seconds(1), returnWhen: .firstCompleted)
///     for future in notDone { future.cancel() }
public func wait<Value>(
    _ futures: some Sequence<Future<Value>>,
    timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) throws -> (done: Set<Future<Value>>, notDone: Set<Future<Value>>) {
    let unique = Array(Set(futures))
    let isDone = try waitForFutures(unique, deadline: Deadline.after(timeout), returnWhen: returnWhen)
    return split(unique, by: isDone)
}

/// Waits on futures of different value types together; see `wait(_:timeout:returnWhen:)`.
///
///     let (done, _) = try wait([pageFuture, sizeFuture], returnWhen: .firstCompleted)
// `@_disfavoredOverload`: when every future in an array literal has the same type, Swift
// would otherwise pick this overload (it is not generic) and hand back `AnyFuture`s. The
// attribute makes it the last resort, used only when the futures' types really differ.
@_disfavoredOverload
public func wait(
    _ futures: [any FutureProtocol],
    timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) throws -> (done: Set<AnyFuture>, notDone: Set<AnyFuture>) {
    let unique = Array(Set(futures.map(\.erased)))
    let isDone = try waitForFutures(unique, deadline: Deadline.after(timeout), returnWhen: returnWhen)
    return split(unique, by: isDone)
}

private func split<F: Hashable>(_ futures: [F], by isDone: [Bool]) -> (done: Set<F>, notDone: Set<F>) {
    // Sized up front: a set that grows rehashes everything it holds at each step.
    let doneCount = isDone.reduce(0) { $0 + ($1 ? 1 : 0) }
    var done = Set<F>(minimumCapacity: doneCount), notDone = Set<F>(minimumCapacity: futures.count - doneCount)
    for (future, isDone) in zip(futures, isDone) {
        if isDone { done.insert(future) } else { notDone.insert(future) }
    }
    return (done, notDone)
}

/// The heart of `wait`: one `FutureWaiter` is registered with every future that is not done
/// yet, then the calling thread sleeps on it until `returnWhen` is satisfied or the deadline
/// passes. Returns, for each future, whether it is done.
func waitForFutures(_ futures: [some UntypedFuture], deadline: Deadline?, returnWhen: ReturnWhen) throws -> [Bool] {
    var isDone = [Bool](repeating: false, count: futures.count)
    var doneCount = 0
    var sawException = false
    func record(_ index: Int, _ completion: Completion) {
        guard !isDone[index] else { return }
        isDone[index] = true
        doneCount += 1
        if completion == .threw { sawException = true }
    }
    func satisfied() -> Bool {
        switch returnWhen {
        case .firstCompleted: doneCount > 0 || futures.isEmpty
        case .firstException: sawException || doneCount == futures.count
        case .allCompleted: doneCount == futures.count
        }
    }

    // Register with every future; the ones already done answer at once.
    let waiter = FutureWaiter()
    for (index, future) in futures.enumerated() {
        if let completion = future.register(waiter, token: index) { record(index, completion) }
    }

    // Unregister from what is still pending when we leave, however we leave.
    defer { for (index, future) in futures.enumerated() where !isDone[index] { future.unregister(waiter) } }

    // Sleep until satisfied or out of time. (What is awaited is worked out only if deadlock
    // detection asks, for a long wait on a pool's worker: see `sleep`.)
    while !satisfied() {
        let finished = try sleep(
            on: waiter, until: deadline, awaiting: futures.indices.filter { !isDone[$0] }.map { futures[$0].origin })
        if finished.isEmpty { break }  // the deadline passed
        for (index, completion) in finished { record(index, completion) }
    }

    // Count what finished while we were waking up (Python does the same).
    for (index, completion) in waiter.takeNotificationsWithoutWaiting() { record(index, completion) }
    return isDone
}
