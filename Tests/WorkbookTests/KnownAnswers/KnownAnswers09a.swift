import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers09a: [KnownAnswer] = [
        .wrong("09a", "cancels the queued searches but does not stop the running ones", caughtOn: .cancellation,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                let searches = try shards.enumerated().map { shard, items in
                    try pool.submit { () -> Found? in
                        items.firstIndex(where: isTarget).map { Found(shard: shard, index: $0) }
                    }
                }
                var pending = Set(searches)
                while !pending.isEmpty {
                    let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                    for search in done {
                        if let found = try search.result() { notDone.forEach { $0.cancel() }; return found }
                    }
                    pending = notDone
                }
                return nil
            }), module: module)),
    ]
}
