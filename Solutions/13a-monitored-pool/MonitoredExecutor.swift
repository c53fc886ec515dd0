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
        // Counted before it can start, so that `running` never gets ahead of `submitted`;
        // taken back if the base executor refuses the task.
        state.withLock { $0.submitted += 1 }
        let future: Future<T>
        do {
            future = try base.submit { [state] () throws -> T in
                state.withLock { $0.running += 1 }
                do {
                    let value = try task()
                    state.withLock { $0.running -= 1; $0.completed += 1 }
                    return value
                } catch {
                    state.withLock { $0.running -= 1; $0.failed += 1 }
                    throw error
                }
            }
        } catch {
            state.withLock { $0.submitted -= 1 }
            throw error
        }
        // A cancelled task never runs, so only its future can tell.
        future.addDoneCallback { [state] future in
            if future.isCancelled { state.withLock { $0.cancelled += 1 } }
        }
        return future
    }

    public func shutdown(wait: Bool, cancelFutures: Bool) {
        base.shutdown(wait: wait, cancelFutures: cancelFutures)
    }
}
