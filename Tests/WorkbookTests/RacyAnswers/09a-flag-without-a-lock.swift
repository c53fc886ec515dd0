// A known wrong answer to exercise 09a, for `workbook check 09a --tsan` in CI: the stop flag is a
// plain variable, read and written by every searcher with no lock, and the box that holds it
// tells the compiler not to check (`@unchecked Sendable`). ThreadSanitizer reports the race in
// every run, although the answers come out right.
import ConcurrentFutures
import ExerciseKit

final class StopFlag: @unchecked Sendable {
    var isSet = false
}

public func findFirst(
    in shards: [[Int]],
    on pool: ThreadPoolExecutor,
    isTarget: @escaping @Sendable (Int) -> Bool
) throws -> Found? {
    let stop = StopFlag()
    let searches = try shards.enumerated().map { shard, items in
        try pool.submit { () -> Found? in
            for (index, item) in items.enumerated() {
                if stop.isSet { return nil }
                if isTarget(item) {
                    stop.isSet = true
                    return Found(shard: shard, index: index)
                }
            }
            return nil
        }
    }
    var pending = Set(searches)
    while !pending.isEmpty {
        let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
        for search in done {
            if let location = try search.result() {
                for other in notDone { other.cancel() }
                return location
            }
        }
        pending = notDone
    }
    return nil
}
