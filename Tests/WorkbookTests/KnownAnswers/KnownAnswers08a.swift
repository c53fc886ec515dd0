import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers08a: [KnownAnswer] = [
        .wrong("08a", "gives each fetch the whole deadline", caughtOn: .promptness,
            Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                var report = DeadlineReport()
                for (url, future) in zip(urls, futures) {
                    do { report.pages[url] = try future.result(timeout: deadline) } catch is TimeoutError {
                        future.cancel()
                        report.late.append(url)
                    } catch { report.failures[url] = error }
                }
                return report
            }), module: module)),
    ]
}
