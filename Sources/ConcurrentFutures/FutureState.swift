/// The life of a future, as a state machine.
///
///     pending ──setRunningOrNotifyCancel()──▶ running ──setResult / setException──▶ finished
///        │                                                                  ▲
///        ├──cancel()──▶ cancelled                                           │
///        └───────────────────── setResult / setException ───────────────────┘
///
/// `cancel()` succeeds only while the future is pending. `cancelled` and `finished` are final:
/// a future is *done* in either of them.
///
/// Python keeps these as strings in `_base.py` (`PENDING`, `RUNNING`, `CANCELLED`,
/// `CANCELLED_AND_NOTIFIED`, `FINISHED`). Python needs the extra `CANCELLED_AND_NOTIFIED`
/// because its waiters only hear about a cancellation once the executor has noticed it; here
/// `cancel()` tells the waiters at once, so a cancelled future is done for `wait` and
/// `asCompleted` immediately (CPython issues gh-92001 and gh-87893).
enum FutureState<Value: Sendable>: Sendable {
    case pending
    case running
    case cancelled
    case finished(Result<Value, any Error>)

    var isDone: Bool {
        switch self {
        case .pending, .running: false
        case .cancelled, .finished: true
        }
    }

    /// How a done future ended, in the few words that waiters need.
    var completion: Completion? {
        switch self {
        case .pending, .running: nil
        case .cancelled: .cancelled
        case .finished(.success): .returned
        case .finished(.failure): .threw
        }
    }

    /// The name Python prints in a future's repr.
    var name: String {
        switch self {
        case .pending: "pending"
        case .running: "running"
        case .cancelled: "cancelled"
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
