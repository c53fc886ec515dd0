/// The life of a future, as a state machine: the five states of Python's `_base.py`.
///
///     PENDING ──set_running_or_notify_cancel()──▶ RUNNING ──set_result / set_exception──▶ FINISHED
///        │                                                                    ▲
///        ├──cancel()──▶ CANCELLED ──set_running_or_notify_cancel()──▶ CANCELLED_AND_NOTIFIED
///        └────────────────────── set_result / set_exception ──────────────────┘
///
/// `cancel()` succeeds only while the future is pending. `cancelled`, `cancelledAndNotified`
/// and `finished` are final: a future is *done* in any of them.
///
/// Why two cancelled states: the executor's worker, when it takes a cancelled future from its
/// queue, calls `setRunningOrNotifyCancel()`, which answers "skip it" and moves the future on to
/// `cancelledAndNotified`. In Python that call is also when `wait` and `as_completed` first hear
/// of the cancellation; here they are told by `cancel()` itself, at once, so a cancelled future
/// is done for them immediately (CPython issues gh-92001 and gh-87893). The second state then
/// only records that the executor has seen the cancellation, and a second
/// `setRunningOrNotifyCancel()` is refused, as in Python.
enum FutureState<Value: Sendable>: Sendable {
    /// Python: `PENDING`.
    case pending
    /// Python: `RUNNING`.
    case running
    /// Python: `CANCELLED`.
    case cancelled
    /// Python: `CANCELLED_AND_NOTIFIED`.
    case cancelledAndNotified
    /// Python: `FINISHED`, with `_result` or `_exception`.
    case finished(Result<Value, any Error>)

    /// Python: `done()`, `state in [CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED]`.
    var isDone: Bool {
        switch self {
        case .pending, .running: false
        case .cancelled, .cancelledAndNotified, .finished: true
        }
    }

    /// Python: `cancelled()`, `state in [CANCELLED, CANCELLED_AND_NOTIFIED]`.
    var isCancelled: Bool {
        switch self {
        case .cancelled, .cancelledAndNotified: true
        case .pending, .running, .finished: false
        }
    }

    /// How a done future ended, in the few words that waiters need.
    var completion: Completion? {
        switch self {
        case .pending, .running: nil
        case .cancelled, .cancelledAndNotified: .cancelled
        case .finished(.success): .returned
        case .finished(.failure): .threw
        }
    }

    /// The name Python prints in a future's repr (`_STATE_TO_DESCRIPTION_MAP`).
    var name: String {
        switch self {
        case .pending: "pending"
        case .running: "running"
        case .cancelled, .cancelledAndNotified: "cancelled"
        case .finished: "finished"
        }
    }
}

/// How a done future ended: what `wait(returnWhen: .firstException)` needs to know.
enum Completion: Sendable {
    case returned
    case threw
    case cancelled
}
