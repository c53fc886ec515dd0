import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers06a: [KnownAnswer] = [
        .wrong("06a", "calls onChange while holding its lock (which onChange takes again)", caughtOn: .timeLimit,
            Check06a.prepare(.init(counterType: CallsOutUnderTheLock.self), module: module)),
    ]
}

/// 06a's solution with one mistake: it calls onChange inside `withLock`. When onChange reads
/// `progress`, the thread waits for the lock it holds: the workers hang, and the watchdog must
/// stop the scenario and say they are stuck in done-callbacks.
final class CallsOutUnderTheLock: ProgressTracking {
    private let onChange: @Sendable (BatchProgress) -> Void
    private let counts: LockedValue<BatchProgress>

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = LockedValue(BatchProgress(total: total))
    }

    func track<T>(_ future: Future<T>) {
        future.addDoneCallback { [counts, onChange] future in
            let failed = !future.isCancelled && (try? future.exception()) != nil
            counts.withLock { progress in
                if future.isCancelled { progress.cancelled += 1 } else if failed { progress.failed += 1 } else { progress.succeeded += 1 }
                onChange(progress)
            }
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}
