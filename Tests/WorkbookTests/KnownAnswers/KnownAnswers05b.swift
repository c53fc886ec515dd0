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
    ]
}
