// Exercise 05a · First good answer wins                                     lesson 05: wait
//
// Several replicas can answer the same query. Ask them all, take the first good answer, and
// do not waste the pool on the others. Write `firstGoodAnswer` so that it:
//
//   1. queries every replica on `pool` with `query(replica)`;
//   2. returns the first successful answer as `Answer(replica:value:)`, as soon as it has it,
//      without waiting for the slower replicas;
//   3. skips replicas that fail: a failure is not an answer, keep waiting for the others;
//   4. cancels the queries that have not started yet once it has its answer;
//   5. if every replica fails, throws `AllReplicasFailed(errors:)` with each replica's own
//      error, by replica.
//
// From ExerciseKit:  struct Answer { var replica: String; var value: Int }
//                    struct AllReplicasFailed: Error { var errors: [String: any Error] }
//
// What you need: `wait(futures, returnWhen: .firstCompleted)` returns `(done, notDone)` as soon
// as one future is done. A done future may have failed; then wait again, on the ones not done.
// `future.cancel()` stops a future that has not started.
//
// Check it:   swift run workbook check 05a        Stuck?  swift run workbook hint 05a
import ConcurrentFutures
import ExerciseKit

public func firstGoodAnswer(
    from replicas: [String],
    on pool: ThreadPoolExecutor,
    query: @escaping @Sendable (String) throws -> Int
) throws -> Answer {
    return try todo("query every replica, then wait in rounds (firstCompleted) until one succeeds")
}
