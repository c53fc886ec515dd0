import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers05b: [KnownAnswer] = [
        .wrong("05b", "collects the results in order, so a failure waits for the jobs before it", caughtOn: .promptness,
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                var results: [Int] = []
                for (job, future) in zip(jobs, futures) {
                    do { results.append(try future.result()) } catch {
                        futures.forEach { $0.cancel() }
                        throw JobFailed(job: job, error: error)
                    }
                }
                return results
            }), module: module)),
        .wrong("05b", "throws the job's error as it is, without its job", caughtOn: .errors,
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                let (done, _) = try wait(futures, returnWhen: .firstException)
                for future in futures where done.contains(future) {
                    if let error = try future.exception() { futures.forEach { $0.cancel() }; throw error }
                }
                return try futures.map { try $0.result() }
            }), module: module)),
        .wrong("05b", "names the failed job by its position", caughtOn: .errors,
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                let (done, _) = try wait(futures, returnWhen: .firstException)
                for (position, future) in futures.enumerated() where done.contains(future) {
                    if let error = try future.exception() { futures.forEach { $0.cancel() }; throw JobFailed(job: position, error: error) }
                }
                return try futures.map { try $0.result() }
            }), module: module)),
        .wrong("05b", "does not cancel the queued jobs", caughtOn: .cancellation,
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                let (done, _) = try wait(futures, returnWhen: .firstException)
                for (job, future) in zip(jobs, futures) where done.contains(future) {
                    if let error = try future.exception() { throw JobFailed(job: job, error: error) }
                }
                return try futures.map { try $0.result() }
            }), module: module)),
        .wrong("05b", "asks every future in job order for its error", caughtOn: .promptness,
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                _ = try wait(futures, returnWhen: .firstException)
                for (job, future) in zip(jobs, futures) {
                    if let error = try future.exception() { futures.forEach { $0.cancel() }; throw JobFailed(job: job, error: error) }
                }
                return try futures.map { try $0.result() }
            }), module: module)),
        .wrong("05b", "shuts the caller's pool down to cancel the queue", caughtOn: .shutdown,
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                let (done, _) = try wait(futures, returnWhen: .firstException)
                for (job, future) in zip(jobs, futures) where done.contains(future) {
                    if let error = try future.exception() {
                        pool.shutdown(wait: false, cancelFutures: true)
                        throw JobFailed(job: job, error: error)
                    }
                }
                return try futures.map { try $0.result() }
            }), module: module)),
        .right("05b", "asCompleted: the first error cancels the rest; results put in their places",
            Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
                let futures = try jobs.map { job in try pool.submit { try run(job) } }
                let position = Dictionary(uniqueKeysWithValues: futures.enumerated().map { ($1, $0) })
                var results = [Int](repeating: 0, count: jobs.count)
                let completed = try asCompleted(futures)
                while let future = try completed.next() {
                    let index = position[future]!
                    do { results[index] = try future.result() } catch {
                        for other in futures { other.cancel() }
                        throw JobFailed(job: jobs[index], error: error)
                    }
                }
                return results
            }), module: module)),
    ]
}
