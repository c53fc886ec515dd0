// A known wrong answer to exercise 13a, for `workbook check 13a --tsan` in CI: the counts are a
// plain variable, changed by every task with no lock, and the class tells the compiler not to
// check (`@unchecked Sendable`). ThreadSanitizer reports the race in every run.
import ConcurrentFutures
import ExerciseKit

public final class MonitoredExecutor: MonitoredExecuting, @unchecked Sendable {
    private let base: any Executor
    private var state = PoolCounts()

    public init(wrapping base: any Executor) {
        self.base = base
    }

    public var counts: PoolCounts { state }

    public func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        state.submitted += 1
        let future: Future<T>
        do {
            future = try base.submit { () throws -> T in
                self.state.running += 1
                do {
                    let value = try task()
                    self.state.running -= 1
                    self.state.completed += 1
                    return value
                } catch {
                    self.state.running -= 1
                    self.state.failed += 1
                    throw error
                }
            }
        } catch {
            state.submitted -= 1
            throw error
        }
        future.addDoneCallback { future in
            if future.isCancelled { self.state.cancelled += 1 }
        }
        return future
    }

    public func shutdown(wait: Bool, cancelFutures: Bool) {
        base.shutdown(wait: wait, cancelFutures: cancelFutures)
    }
}
