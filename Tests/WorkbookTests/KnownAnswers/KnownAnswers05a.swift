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
        .wrong("05a", "waits for every replica, then takes the first good answer", caughtOn: .promptness,
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                let futures = try replicas.map { replica in try pool.submit { try query(replica) } }
                _ = try wait(futures)
                var errors: [String: any Error] = [:]
                for (replica, future) in zip(replicas, futures) {
                    do { return Answer(replica: replica, value: try future.result()) } catch { errors[replica] = error }
                }
                throw AllReplicasFailed(errors: errors)
            }), module: module)),
        .wrong("05a", "pairs the n-th failure with the n-th replica", caughtOn: .errors,
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                var replicaOf: [Future<Int>: String] = [:]
                for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
                var pending = Set(replicaOf.keys)
                var errors: [String: any Error] = [:]
                while !pending.isEmpty {
                    let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                    for future in done {
                        do {
                            let value = try future.result()
                            notDone.forEach { $0.cancel() }
                            return Answer(replica: replicaOf[future]!, value: value)
                        } catch {
                            errors[replicas[errors.count]] = error
                        }
                    }
                    pending = notDone
                }
                throw AllReplicasFailed(errors: errors)
            }), module: module)),
        .wrong("05a", "keeps a description of each error instead of the error", caughtOn: .errors,
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                struct QueryFailed: Error { let reason: String }
                var replicaOf: [Future<Int>: String] = [:]
                for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
                var pending = Set(replicaOf.keys)
                var errors: [String: any Error] = [:]
                while !pending.isEmpty {
                    let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                    for future in done {
                        do {
                            let value = try future.result()
                            notDone.forEach { $0.cancel() }
                            return Answer(replica: replicaOf[future]!, value: value)
                        } catch {
                            errors[replicaOf[future]!] = QueryFailed(reason: "\(error)")
                        }
                    }
                    pending = notDone
                }
                throw AllReplicasFailed(errors: errors)
            }), module: module)),
        .wrong("05a", "asks a failed replica once more", caughtOn: .result,
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                var replicaOf: [Future<Int>: String] = [:]
                for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
                var pending = Set(replicaOf.keys)
                var errors: [String: any Error] = [:]
                var retried: Set<String> = []
                while !pending.isEmpty {
                    let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                    pending = notDone
                    for future in done {
                        let replica = replicaOf[future]!
                        do {
                            let value = try future.result()
                            pending.forEach { $0.cancel() }
                            return Answer(replica: replica, value: value)
                        } catch {
                            errors[replica] = error
                            if retried.insert(replica).inserted {
                                let again = try pool.submit { try query(replica) }
                                replicaOf[again] = replica
                                pending.insert(again)
                            }
                        }
                    }
                }
                throw AllReplicasFailed(errors: errors)
            }), module: module)),
        .right("05a", "asCompleted with a do/catch, the rest cancelled on success",
            Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
                let futures = try replicas.map { replica in try pool.submit { try query(replica) } }
                let replicaOf = Dictionary(uniqueKeysWithValues: zip(futures, replicas))
                var errors: [String: any Error] = [:]
                let completed = try asCompleted(futures)
                while let future = try completed.next() {
                    do {
                        let answer = Answer(replica: replicaOf[future]!, value: try future.result())
                        for other in futures { other.cancel() }
                        return answer
                    } catch {
                        errors[replicaOf[future]!] = error
                    }
                }
                throw AllReplicasFailed(errors: errors)
            }), module: module)),
    ]
}
