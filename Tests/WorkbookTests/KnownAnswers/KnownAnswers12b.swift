import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers12b: [KnownAnswer] = [
        .wrong("12b", "keeps @unchecked Sendable", caughtOn: .source,
            Check12b.prepare(.init(statsType: UsageStats.self, serveAll: { sizes, pool, stats, serve in
                try serveAll(sizes, on: pool, stats: stats as! UsageStats, serve: serve)
            }), module: module),
            source: "public final class UsageStats: UsageRecording, @unchecked Sendable {}"),
    ]
}
