// A known wrong answer to exercise 06a, for `workbook check 06a --tsan` in CI: the counts are
// plain variables, changed by callbacks on many threads at once with no lock, and the class
// tells the compiler not to check (`@unchecked Sendable`). Counting may lose an update only
// now and then; ThreadSanitizer reports the race in every run.
import ConcurrentFutures
import ExerciseKit

public final class ProgressCounter: ProgressTracking, @unchecked Sendable {
    private let onChange: @Sendable (BatchProgress) -> Void
    private var counts: BatchProgress

    public init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = BatchProgress(total: total)
    }

    public func track<T>(_ future: Future<T>) {
        future.addDoneCallback { future in
            if future.isCancelled {
                self.counts.cancelled += 1
            } else if (try? future.exception()) != nil {
                self.counts.failed += 1
            } else {
                self.counts.succeeded += 1
            }
            self.onChange(self.counts)
        }
    }

    public var progress: BatchProgress { counts }
}
