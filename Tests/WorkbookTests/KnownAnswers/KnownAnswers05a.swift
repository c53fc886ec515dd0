import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers05a: [KnownAnswer] = [
        .wrong("05a", "takes the first finished query even when it failed", caughtOn: .errors,
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                var replicaOf: [Future<Int>: String] = [:]
                for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
                let (done, notDone) = try wait(replicaOf.keys, returnWhen: .firstCompleted)
                notDone.forEach { $0.cancel() }
                let first = done.first!
                return Answer(replica: replicaOf[first]!, value: try first.result())
            }), module: module)),
        .wrong("05a", "does not cancel the queued queries", caughtOn: .cancellation,
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                var replicaOf: [Future<Int>: String] = [:]
                for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
                var pending = Set(replicaOf.keys)
                var errors: [String: any Error] = [:]
                while !pending.isEmpty {
                    let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                    for future in done {
                        do { return Answer(replica: replicaOf[future]!, value: try future.result()) } catch { errors[replicaOf[future]!] = error }
                    }
                    pending = notDone
                }
                throw AllReplicasFailed(errors: errors)
            }), module: module)),
    ]
}
