extension Future {
    /// The task's value, awaited without blocking a thread: the bridge from futures to Swift's
    /// `async`/`await` (lesson 15).
    ///
    ///     let future = try pool.submit { expensiveComputation() }
    ///     let answer = try await future.value
    ///
    /// Python: `await asyncio.wrap_future(future)`.
    ///
    /// - Throws: the task's error, `CancelledError` if the future was cancelled, and Swift's
    ///   `CancellationError` if the *awaiting* Task is cancelled.
    ///
    /// Cancellation, decided: cancelling the Task that awaits stops the waiting at once (with
    /// `CancellationError`) but does **not** cancel the future, because other code may be
    /// waiting on the same future. To stop queued work, call `future.cancel()`. (asyncio's
    /// `wrap_future` does cancel the future; see "Differences from Python" in Sources/ConcurrentFutures/README.md.)
    public var value: Value {
        get async throws {
            if case .finished(let result) = observeState() { return try result.get() }
            let resumer = ContinuationResumer<Value>()
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    resumer.install(continuation)
                    addDoneCallback { future in
                        switch future.state {
                        case .finished(let result): resumer.resume(with: result)
                        default: resumer.resume(with: .failure(CancelledError()))
                        }
                    }
                }
            } onCancel: {
                resumer.resume(with: .failure(CancellationError()))
            }
        }
    }
}

/// Resumes a continuation exactly once, whichever comes first: the future's completion or the
/// awaiting Task's cancellation (which may even arrive before the continuation exists).
private final class ContinuationResumer<Value: Sendable>: Sendable {
    private enum State {
        case waitingForContinuation
        case installed(CheckedContinuation<Value, any Error>)
        case resultBeforeInstall(Result<Value, any Error>)
        case resumed
    }
    private let state = LockedValue(State.waitingForContinuation)

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        let early: Result<Value, any Error>? = state.withLock { state in
            if case .resultBeforeInstall(let result) = state {
                state = .resumed
                return result
            }
            state = .installed(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func resume(with result: Result<Value, any Error>) {
        let continuation: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .waitingForContinuation:
                state = .resultBeforeInstall(result)
                return nil
            case .installed(let continuation):
                state = .resumed
                return continuation
            case .resultBeforeInstall, .resumed:
                return nil
            }
        }
        continuation?.resume(with: result)
    }
}
