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
        .wrong("08a", "lists the late fetches in the order of the not-done set", caughtOn: .order,
            Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                let urlOf = Dictionary(uniqueKeysWithValues: zip(futures, urls))
                let (done, notDone) = try wait(futures, timeout: deadline)
                var report = DeadlineReport()
                for future in done {
                    do { report.pages[urlOf[future]!] = try future.result() } catch { report.failures[urlOf[future]!] = error }
                }
                for future in notDone {
                    future.cancel()
                    report.late.append(urlOf[future]!)
                }
                return report
            }), module: module)),
        .wrong("08a", "sleeps out the deadline, then looks", caughtOn: .promptness,
            Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                Thread.sleep(forTimeInterval: deadline.seconds)
                var report = DeadlineReport()
                for (url, future) in zip(urls, futures) {
                    if !future.isDone {
                        future.cancel()
                        report.late.append(url)
                    } else {
                        do { report.pages[url] = try future.result() } catch { report.failures[url] = error }
                    }
                }
                return report
            }), module: module)),
        .wrong("08a", "does not cancel the late fetches", caughtOn: .cancellation,
            Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                let (_, notDone) = try wait(futures, timeout: deadline)
                var report = DeadlineReport()
                for (url, future) in zip(urls, futures) {
                    if notDone.contains(future) { report.late.append(url) } else {
                        do { report.pages[url] = try future.result() } catch { report.failures[url] = error }
                    }
                }
                return report
            }), module: module)),
        .wrong("08a", "waits for every fetch, with no deadline", caughtOn: .promptness,
            Check08a.prepare(.init(fetchAll: { urls, pool, _, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                _ = try wait(futures)
                var report = DeadlineReport()
                for (url, future) in zip(urls, futures) {
                    do { report.pages[url] = try future.result() } catch { report.failures[url] = error }
                }
                return report
            }), module: module)),
        .wrong("08a", "counts a fetch that failed in time as late", caughtOn: .errors,
            Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                _ = try wait(futures, timeout: deadline)
                var report = DeadlineReport()
                for (url, future) in zip(urls, futures) {
                    if let page = try? future.result(timeout: .zero) { report.pages[url] = page } else {
                        future.cancel()
                        report.late.append(url)
                    }
                }
                return report
            }), module: module)),
        .right("08a", "asCompleted with the deadline as its time-out; the rest is late",
            Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
                let futures = try urls.map { url in try pool.submit { try fetch(url) } }
                let urlOf = Dictionary(uniqueKeysWithValues: zip(futures, urls))
                var report = DeadlineReport()
                var finished: Set<String> = []
                do {
                    let completed = try asCompleted(futures, timeout: deadline)
                    while let future = try completed.next() {
                        let url = urlOf[future]!
                        finished.insert(url)
                        do { report.pages[url] = try future.result() } catch { report.failures[url] = error }
                    }
                } catch is TimeoutError {}
                for (url, future) in zip(urls, futures) where !finished.contains(url) {
                    future.cancel()
                    report.late.append(url)
                }
                return report
            }), module: module)),
    ]
}
