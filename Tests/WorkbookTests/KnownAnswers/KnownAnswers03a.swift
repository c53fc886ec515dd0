import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers03a: [KnownAnswer] = [
        .wrong("03a", "delivers in finishing order (asCompleted)", caughtOn: .order,
            Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
                let futures = try pages.map { page in try pool.submit { (page, try render(page)) } }
                try asCompleted(futures).forEach { future in
                    let (page, text) = try future.result()
                    deliver(page, text)
                }
            }), module: module)),
        .wrong("03a", "collects every page before delivering the first", caughtOn: .promptness,
            Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
                for (page, text) in try Array(pool.map(pages) { page in (page, try render(page)) }) { deliver(page, text) }
            }), module: module)),
    ]
}
