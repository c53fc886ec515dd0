import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import Synchronization
import WorkbookChecks

extension KnownAnswers {
    static let answers06a: [KnownAnswer] = [
        .wrong("06a", "calls onChange while holding its lock (which onChange takes again)", caughtOn: .timeLimit,
            Check06a.prepare(.init(counterType: CallsOutUnderTheLock.self), module: module)),
        .wrong("06a", "reads the counts in one withLock and writes them back in another", caughtOn: .threadSafety,
            Check06a.prepare(.init(counterType: ReadThenWrite.self), module: module)),
        .wrong("06a", "counts under the lock, then reads progress again for onChange", caughtOn: .threadSafety,
            Check06a.prepare(.init(counterType: ReportsAFreshRead.self), module: module)),
        .wrong("06a", "tells failed from succeeded by exception() alone: a cancelled future counts as succeeded", caughtOn: .result,
            Check06a.prepare(.init(counterType: ForgetsCancelled.self), module: module)),
        .wrong("06a", "adds a callback only to futures that are not done yet", caughtOn: .result,
            Check06a.prepare(.init(counterType: SkipsFinished.self), module: module)),
        .wrong("06a", "plain variables and @unchecked Sendable: no lock at all", caughtOn: .threadSafety,
            Check06a.prepare(.init(counterType: NoLockAtAll.self), module: module)),
        .right("06a", "a Mutex from Synchronization and a switch",
            Check06a.prepare(.init(counterType: MutexCounter.self), module: module)),
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

/// Reads the counts under the lock, adds one outside it, writes them back under the lock: two
/// callbacks that do this at once both write "one more", and one count is lost.
final class ReadThenWrite: ProgressTracking {
    private let onChange: @Sendable (BatchProgress) -> Void
    private let counts: LockedValue<BatchProgress>

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = LockedValue(BatchProgress(total: total))
    }

    func track<T>(_ future: Future<T>) {
        future.addDoneCallback { [counts, onChange] future in
            var progress = counts.withLock { $0 }
            if future.isCancelled { progress.cancelled += 1 } else if (try? future.exception()) != nil { progress.failed += 1 } else { progress.succeeded += 1 }
            counts.withLock { $0 = progress }
            onChange(progress)
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}

/// Counts correctly, but hands onChange a second read of the counts, which may already hold
/// another thread's count: some steps are reported twice, others never.
final class ReportsAFreshRead: ProgressTracking {
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
            }
            onChange(counts.withLock { $0 })
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}

/// Asks only `exception()`: for a cancelled future that throws CancelledError, `try?` makes it
/// nil, and the cancelled future is counted as succeeded.
final class ForgetsCancelled: ProgressTracking {
    private let onChange: @Sendable (BatchProgress) -> Void
    private let counts: LockedValue<BatchProgress>

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = LockedValue(BatchProgress(total: total))
    }

    func track<T>(_ future: Future<T>) {
        future.addDoneCallback { [counts, onChange] future in
            let failed = (try? future.exception()) != nil
            let snapshot = counts.withLock { progress in
                if failed { progress.failed += 1 } else { progress.succeeded += 1 }
                return progress
            }
            onChange(snapshot)
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}

/// Counts the futures that finish later, and forgets those already done when tracked.
final class SkipsFinished: ProgressTracking {
    private let onChange: @Sendable (BatchProgress) -> Void
    private let counts: LockedValue<BatchProgress>

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = LockedValue(BatchProgress(total: total))
    }

    func track<T>(_ future: Future<T>) {
        guard !future.isDone else { return }
        future.addDoneCallback { [counts, onChange] future in
            let failed = !future.isCancelled && (try? future.exception()) != nil
            let snapshot = counts.withLock { progress in
                if future.isCancelled { progress.cancelled += 1 } else if failed { progress.failed += 1 } else { progress.succeeded += 1 }
                return progress
            }
            onChange(snapshot)
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}

/// Counts in plain variables, told to the compiler to be safe (`@unchecked Sendable`): `+= 1` from
/// two threads at once loses updates. (Tests/WorkbookTests/RacyAnswers has it as an exercise
/// file, for `workbook check 06a --tsan`.)
final class NoLockAtAll: ProgressTracking, @unchecked Sendable {
    private let onChange: @Sendable (BatchProgress) -> Void
    private var counts: BatchProgress

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = BatchProgress(total: total)
    }

    func track<T>(_ future: Future<T>) {
        future.addDoneCallback { future in
            if future.isCancelled { self.counts.cancelled += 1 } else if (try? future.exception()) != nil { self.counts.failed += 1 } else { self.counts.succeeded += 1 }
            self.onChange(self.counts)
        }
    }

    var progress: BatchProgress { counts }
}

enum FutureEnd { case succeeded, failed, cancelled }

/// Right, another way: Synchronization's Mutex (Sendable without @unchecked), a switch on the
/// future's end.
final class MutexCounter: ProgressTracking {
    private let onChange: @Sendable (BatchProgress) -> Void
    private let counts: Mutex<BatchProgress>

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = Mutex(BatchProgress(total: total))
    }

    func track<T>(_ future: Future<T>) {
        future.addDoneCallback { [self] future in
            let end: FutureEnd = future.isCancelled ? .cancelled : ((try? future.exception()) == nil ? .succeeded : .failed)
            let snapshot = counts.withLock { progress -> BatchProgress in
                switch end {
                case .succeeded: progress.succeeded += 1
                case .failed: progress.failed += 1
                case .cancelled: progress.cancelled += 1
                }
                return progress
            }
            onChange(snapshot)
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}
