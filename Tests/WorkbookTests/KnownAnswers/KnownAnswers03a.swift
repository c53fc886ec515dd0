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
        .wrong("03a", "one future per page, stops at the error but leaves the queued pages to run", caughtOn: .cancellation,
            Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
                let futures = try pages.map { page in try pool.submit { try render(page) } }
                for (page, future) in zip(pages, futures) { deliver(page, try future.result()) }
            }), module: module)),
        .wrong("03a", "delivers in page-number order", caughtOn: .order,
            Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
                let sorted = pages.sorted()
                let rendered = try pool.map(sorted) { page in (page, try render(page)) }
                while let (page, text) = try rendered.next() { deliver(page, text) }
            }), module: module)),
        .wrong("03a", "renders each distinct page once, in a dictionary", caughtOn: .order,
            Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
                var seen = Set<Int>()
                let distinct = pages.filter { seen.insert($0).inserted }
                let rendered = try pool.map(distinct) { page in (page, try render(page)) }
                while let (page, text) = try rendered.next() { deliver(page, text) }
            }), module: module)),
        .wrong("03a", "renders on the calling thread, one page after the other", caughtOn: .concurrency,
            Check03a.prepare(.init(renderInOrder: { pages, _, render, deliver in
                for page in pages { deliver(page, try render(page)) }
            }), module: module)),
        .right("03a", "one future per page, results in order, the rest cancelled at an error",
            Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
                let futures = try pages.map { page in try pool.submit { try render(page) } }
                defer { for future in futures { future.cancel() } }
                for (page, future) in zip(pages, futures) { deliver(page, try future.result()) }
            }), module: module)),
    ]
}
