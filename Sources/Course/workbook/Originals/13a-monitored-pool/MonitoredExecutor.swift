// Exercise 13a · A monitored executor                                   lesson 13: Monitoring
//
// The classic monitoring trick: an executor that wraps another one, passes every task through,
// and counts what happens to them. Because `map` is built on `submit` for every `Executor`,
// counting in `submit` covers `map` too. Write `MonitoredExecutor.submit` so that `counts` says:
//
//   submitted  tasks accepted (a `submit` that throws accepted nothing);
//   running    tasks running right now;
//   completed  tasks that returned a value;   failed  tasks that threw;
//   cancelled  tasks cancelled before they ran.
//
// The counts must be up to date by the time a task's future is done: when `result()` returns,
// that task is already counted as completed or failed. So count running, completed and failed
// inside the task itself (wrap `task` in a closure of your own); a done-callback would run a
// moment too late. Cancelled tasks never run: only a done-callback can count those.
//
// The counts change on many threads at once: they live in the `LockedValue` below.
//
// From ExerciseKit:  struct PoolCounts { var submitted, running, completed, failed, cancelled: Int }
//
// Check it:   swift run workbook check 13a        Stuck?  swift run workbook hint 13a
import ConcurrentFutures
import ExerciseKit

public final class MonitoredExecutor: MonitoredExecuting {
    private let base: any Executor
    private let state = LockedValue(PoolCounts())

    public init(wrapping base: any Executor) {
        self.base = base
    }

    public var counts: PoolCounts {
        state.withLock { $0 }
    }

    public func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        return try todo("count the task, submit a wrapped task to `base`, count its end; cancelled ones in a callback")
    }

    public func shutdown(wait: Bool, cancelFutures: Bool) {
        base.shutdown(wait: wait, cancelFutures: cancelFutures)
    }
}
