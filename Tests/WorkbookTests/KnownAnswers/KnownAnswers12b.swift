import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import Synchronization
import WorkbookChecks

/// 12b's checks with `stats` of type `Stats` and `serveAll` as given (the solution's by default).
func check12b<Stats: UsageRecording>(
    _ stats: Stats.Type,
    serveAll: @escaping @Sendable ([Int], ThreadPoolExecutor, any UsageRecording, @escaping @Sendable (Int) throws -> Int) throws -> Void = { sizes, pool, stats, serve in
        let served = try sizes.map { size in try pool.submit { try stats.record(bytes: serve(size)) } }
        _ = try wait(served)
        for request in served { try request.result() }
    }
) -> PreparedCheck {
    Check12b.prepare(.init(statsType: stats, serveAll: serveAll), module: KnownAnswers.module)
}

/// The two numbers behind two locks: snapshot reads one, then the other.
final class TwoLocks: UsageRecording {
    private let requests = LockedValue(0)
    private let bytes = LockedValue(0)
    init() {}
    func record(bytes count: Int) {
        requests.withLock { $0 += 1 }
        bytes.withLock { $0 += count }
    }
    var snapshot: UsageSnapshot { UsageSnapshot(requests: requests.withLock { $0 }, bytes: bytes.withLock { $0 }) }
}

/// One lock, but record changes the two numbers in two separate calls.
final class TwoSteps: UsageRecording {
    private let counts = LockedValue(UsageSnapshot(requests: 0, bytes: 0))
    init() {}
    func record(bytes count: Int) {
        counts.withLock { $0.requests += 1 }
        counts.withLock { $0.bytes += count }
    }
    var snapshot: UsageSnapshot { counts.withLock { $0 } }
}

/// Right, another way: Synchronization's Mutex.
final class MutexStats: UsageRecording {
    private let counts = Mutex(UsageSnapshot(requests: 0, bytes: 0))
    init() {}
    func record(bytes count: Int) { counts.withLock { $0 = UsageSnapshot(requests: $0.requests + 1, bytes: $0.bytes + count) } }
    var snapshot: UsageSnapshot { counts.withLock { $0 } }
}

/// One lock for every request being served, held while serving.
let servingLock = NSLock()

extension KnownAnswers {
    static let answers12b: [KnownAnswer] = [
        .wrong("12b", "keeps @unchecked Sendable", caughtOn: .source,
            check12b(Solutions.UsageStats.self),
            source: "public final class UsageStats: UsageRecording, @unchecked Sendable {}"),
        .wrong("12b", "keeps the two numbers behind two locks", caughtOn: .threadSafety, check12b(TwoLocks.self)),
        .wrong("12b", "changes the two numbers in two withLock calls", caughtOn: .threadSafety, check12b(TwoSteps.self)),
        .wrong("12b", "serveAll returns once the requests are submitted", caughtOn: .result,
            check12b(Solutions.UsageStats.self) { sizes, pool, stats, serve in
                for size in sizes { try pool.submit { try stats.record(bytes: serve(size)) } }
            }),
        .wrong("12b", "serveAll rethrows the first error in order at once", caughtOn: .result,
            check12b(Solutions.UsageStats.self) { sizes, pool, stats, serve in
                let served = try sizes.map { size in try pool.submit { try stats.record(bytes: serve(size)) } }
                for request in served { try request.result() }
            }),
        .wrong("12b", "serveAll holds a lock while serving each request", caughtOn: .concurrency,
            check12b(Solutions.UsageStats.self) { sizes, pool, stats, serve in
                let served = try sizes.map { size in
                    try pool.submit {
                        servingLock.lock()
                        defer { servingLock.unlock() }
                        try stats.record(bytes: serve(size))
                    }
                }
                _ = try wait(served)
                for request in served { try request.result() }
            }),
        .right("12b", "a Mutex, and serveAll with asCompleted",
            check12b(MutexStats.self) { sizes, pool, stats, serve in
                let served = try sizes.map { size in try pool.submit { try stats.record(bytes: serve(size)) } }
                var firstError: (position: Int, error: any Error)?
                let position = Dictionary(uniqueKeysWithValues: served.enumerated().map { ($1, $0) })
                let completed = try asCompleted(served)
                while let request = try completed.next() {
                    if let error = try request.exception(), position[request]! < (firstError?.position ?? .max) {
                        firstError = (position[request]!, error)
                    }
                }
                if let firstError { throw firstError.error }
            },
            source: "import Synchronization\npublic final class UsageStats: UsageRecording { private let counts = Mutex(0) }"),
    ]
}
