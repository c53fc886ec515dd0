import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import Synchronization
import WorkbookChecks

/// 09a's solution, with the stop flag and the way it is used passed in, so that each wrong
/// answer below differs from it in one place only.
func searchShards(
    _ shards: [[Int]], on pool: ThreadPoolExecutor, isTarget: @escaping @Sendable (Int) -> Bool,
    stop: LockedValue<Bool>, checkEveryTest: Bool = true, found: @escaping @Sendable (Int, Int, Int) -> Found = { shard, index, _ in Found(shard: shard, index: index) }
) throws -> [Future<Found?>] {
    try shards.enumerated().map { shard, items in
        try pool.submit { () -> Found? in
            if stop.withLock({ $0 }) { return nil }
            for (index, item) in items.enumerated() {
                if checkEveryTest, stop.withLock({ $0 }) { return nil }
                if isTarget(item) {
                    stop.withLock { $0 = true }
                    return found(shard, index, item)
                }
            }
            return nil
        }
    }
}

/// Waits in rounds for the first search that found something; cancels the rest.
func firstFound(_ searches: [Future<Found?>]) throws -> Found? {
    var pending = Set(searches)
    while !pending.isEmpty {
        let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
        for search in done {
            if let found = try search.result() { notDone.forEach { $0.cancel() }; return found }
        }
        pending = notDone
    }
    return nil
}

/// A stop flag for every call: set by the first find, never cleared.
let sharedStopFlag = LockedValue(false)

extension KnownAnswers {
    static let answers09a: [KnownAnswer] = [
        .wrong("09a", "cancels the queued searches but does not stop the running ones", caughtOn: .cancellation,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                let searches = try shards.enumerated().map { shard, items in
                    try pool.submit { () -> Found? in
                        items.firstIndex(where: isTarget).map { Found(shard: shard, index: $0) }
                    }
                }
                return try firstFound(searches)
            }), module: module)),
        .wrong("09a", "looks at the flag once, when a search starts", caughtOn: .cancellation,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                try firstFound(try searchShards(shards, on: pool, isTarget: isTarget, stop: LockedValue(false), checkEveryTest: false))
            }), module: module)),
        .wrong("09a", "waits for every search before returning", caughtOn: .promptness,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                let searches = try searchShards(shards, on: pool, isTarget: isTarget, stop: LockedValue(false))
                _ = try wait(searches)
                return try searches.lazy.compactMap { try $0.result() }.first
            }), module: module)),
        .wrong("09a", "returns the item instead of its position", caughtOn: .result,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                try firstFound(try searchShards(shards, on: pool, isTarget: isTarget, stop: LockedValue(false)) { shard, _, item in
                    Found(shard: shard, index: item)
                })
            }), module: module)),
        .wrong("09a", "one stop flag for every call, never cleared", caughtOn: .result,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                try firstFound(try searchShards(shards, on: pool, isTarget: isTarget, stop: sharedStopFlag))
            }), module: module)),
        .wrong("09a", "stops at the first search that ends, found or not", caughtOn: .result,
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                let searches = try searchShards(shards, on: pool, isTarget: isTarget, stop: LockedValue(false))
                guard !searches.isEmpty else { return nil }
                let (done, notDone) = try wait(searches, returnWhen: .firstCompleted)
                notDone.forEach { $0.cancel() }
                return try done.first!.result()
            }), module: module)),
        .right("09a", "an Atomic flag, asCompleted",
            Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
                final class Flag: Sendable { let stop = Atomic(false) }
                let flag = Flag()
                let searches = try shards.enumerated().map { shard, items in
                    try pool.submit { () -> Found? in
                        for index in items.indices {
                            if flag.stop.load(ordering: .acquiring) { return nil }
                            if isTarget(items[index]) {
                                flag.stop.store(true, ordering: .releasing)
                                return Found(shard: shard, index: index)
                            }
                        }
                        return nil
                    }
                }
                let completed = try asCompleted(searches)
                while let search = try completed.next() {
                    if let found = try search.result() {
                        for other in searches { other.cancel() }
                        return found
                    }
                }
                return nil
            }), module: module)),
    ]
}
