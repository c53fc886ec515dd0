import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers02a: [KnownAnswer] = [
        .wrong("02a", "waits for the first page before fetching the second", caughtOn: .concurrency,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let a = try pool.submit { try fetch(first) }.result()
                let b = try pool.submit { try fetch(second) }.result()
                return a + "\n" + b
            }), module: module)),
        .wrong("02a", "turns a failed fetch into an empty page", caughtOn: .errors,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let a = try pool.submit { try fetch(first) }
                let b = try pool.submit { try fetch(second) }
                return ((try? a.result()) ?? "") + "\n" + ((try? b.result()) ?? "")
            }), module: module)),
        .wrong("02a", "runs the fetches on a pool of its own instead of the caller's", caughtOn: .pool,
            Check02a.prepare(.init(fetchBoth: { first, second, _, fetch in
                try withThreadPool(maxWorkers: 2) { own in
                    let a = try own.submit { try fetch(first) }
                    let b = try own.submit { try fetch(second) }
                    return try a.result() + "\n" + b.result()
                }
            }), module: module)),
        .wrong("02a", "joins the pages in the order they finish (asCompleted)", caughtOn: .order,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let futures = [try pool.submit { try fetch(first) }, try pool.submit { try fetch(second) }]
                var pages: [String] = []
                let completed = try asCompleted(futures)
                while let future = try completed.next() { pages.append(try future.result()) }
                return pages.joined(separator: "\n")
            }), module: module)),
        .wrong("02a", "wraps a fetch's error in an error of its own", caughtOn: .errors,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                struct PageFailed: Error { let path: String; let cause: any Error }
                let a = try pool.submit { try fetch(first) }
                let b = try pool.submit { try fetch(second) }
                do { return try a.result() + "\n" + b.result() } catch { throw PageFailed(path: first, cause: error) }
            }), module: module)),
        .wrong("02a", "a task fetches the first page and waits for the second page's task", caughtOn: .deadlock,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                try pool.submit {
                    let b = try pool.submit { try fetch(second) }
                    return try fetch(first) + "\n" + b.result()
                }.result()
            }), module: module)),
        .wrong("02a", "fetches a failed page again on the calling thread", caughtOn: .result,
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let a = try pool.submit { try fetch(first) }
                let b = try pool.submit { try fetch(second) }
                let pageA = try (try? a.result()) ?? fetch(first)
                let pageB = try (try? b.result()) ?? fetch(second)
                return pageA + "\n" + pageB
            }), module: module)),
        .right("02a", "pool.map over the two paths, joined",
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                try Array(pool.map([first, second]) { try fetch($0) }).joined(separator: "\n")
            }), module: module)),
        .right("02a", "wait for both, then read the results",
            Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
                let futures = [try pool.submit { try fetch(first) }, try pool.submit { try fetch(second) }]
                _ = try wait(futures, returnWhen: .allCompleted)
                return try futures.map { try $0.result() }.joined(separator: "\n")
            }), module: module)),
    ]
}
