import ConcurrentFutures
import ExerciseKit
import Foundation

/// A stream of the records 1, 2, 3, ... that watches how far it is read ahead of the work.
///
/// With `failing`, the record after that one is handed out only once the failing record's
/// processing has ended and the pool has nothing left to do (so its future is done), or after
/// half a second, for a reader that has not even submitted it: however late the pool runs that
/// record, a reader that stops at its failure stops within a few records of it, and one that
/// does not goes on.
public struct InstrumentedRecords: Sequence, Sendable {
    final class Tracker: Sendable {
        struct State {
            var pulled = 0
            var finished = 0
            var peakInFlight = 0
            var readTooFar = false
        }
        let state = LockedValue(State())
        let failingEnded = DispatchSemaphore(value: 0)
    }

    let count: Int
    /// Reading stops here even if the stream is longer (an implementation that reads it all).
    let hardLimit: Int
    /// The record that the check's process fails on, if any.
    var failing: Int?
    /// Whether the pool has run everything it was given, and every worker is back for more.
    var poolIsIdle: @Sendable () -> Bool = { true }
    let tracker = Tracker()

    public struct Iterator: IteratorProtocol {
        let records: InstrumentedRecords
        public mutating func next() -> Int? {
            if let failing = records.failing, records.tracker.state.withLock({ $0.pulled == failing }) {
                let deadline = DispatchTime.now() + 0.5
                if records.tracker.failingEnded.wait(timeout: deadline) == .success {
                    while !records.poolIsIdle() && DispatchTime.now() < deadline { usleep(200) }
                }
            }
            return records.tracker.state.withLock { state in
                guard state.pulled < records.count else { return nil }
                guard state.pulled < records.hardLimit else {
                    state.readTooFar = true
                    return nil
                }
                state.pulled += 1
                state.peakInFlight = Swift.max(state.peakInFlight, state.pulled - state.finished)
                return state.pulled
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(records: self) }

    /// Call when a record's processing ends (also when it throws).
    func finished(_ record: Int) {
        tracker.state.withLock { $0.finished += 1 }
        if record == failing { tracker.failingEnded.signal() }
    }

    var state: Tracker.State { tracker.state.withLock { $0 } }
}

/// 13b Bounded batches: never more than maxInFlight read ahead, yet concurrent; lazy reading;
/// stops at an error.
public enum Check13b: ExerciseCheck {
    public typealias Process = @Sendable (Int) throws -> Int
    public struct Implementation: Sendable {
        public var processStream: @Sendable (InstrumentedRecords, ThreadPoolExecutor, Int, @escaping Process) throws -> Int
        public init(processStream: @escaping @Sendable (InstrumentedRecords, ThreadPoolExecutor, Int, @escaping Process) throws -> Int) {
            self.processStream = processStream
        }
    }

    public static let exerciseID = "13b"

    /// Runs processStream on `records` and checks the sum, the bound and that records were
    /// processed on the pool, several at once when the bound allows.
    static func requireBounded(
        _ impl: Implementation, _ ctx: CheckContext, count: Int, maxInFlight: Int, workers: Int
    ) throws {
        try ctx.withPool(maxWorkers: workers) { pool in
            let records = InstrumentedRecords(count: count, hardLimit: count)
            let overlap = ctx.rendezvous("two records processed at the same time")
            let witness = ThreadWitness()
            let processed = ConcurrencyProbe()
            let sum = try ctx.step("calling processStream(\(count) records, on: a pool of \(workers) workers, maxInFlight: \(maxInFlight))") {
                try impl.processStream(records, pool, maxInFlight) { record in
                    defer { records.finished(record) }
                    return processed.measure {
                        if record <= 4 {
                            witness.note()
                            if maxInFlight > 1 && count > 1 { overlap.arrive() }
                        }
                        return record
                    }
                }
            }
            let state = records.state
            try require(state.peakInFlight <= maxInFlight, .limit,
                "up to \(state.peakInFlight) records were read from the stream before earlier ones were processed",
                expected: "at most \(maxInFlight) in flight", actual: "\(state.peakInFlight)",
                advice: "Read the next record only when fewer than maxInFlight futures are unfinished: wait for one first. (`map(bufferSize:)` submits one more before it waits.)")
            try requireRanOnPool(witness, pool, "processing a record")
            try requireEqual(sum, count * (count + 1) / 2, .result, "the sum of the results is wrong")
            try requireEqual(processed.calls, count, .result, "each record must be processed exactly once")
            if maxInFlight > 1 && count > 1 {
                try require(overlap.met, .concurrency, "the records were processed one at a time",
                    advice: "Keep several futures in flight; wait only when there are maxInFlight of them.")
            }
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("3,000 records, never more than 3 in flight, yet several at a time, on the pool it is given", timeLimit: 10) { ctx in
                try requireBounded(impl, ctx, count: 3000, maxInFlight: 3, workers: 8)
            },
            Scenario("one in flight at a time; more room than records; no records at all", timeLimit: 10) { ctx in
                try requireBounded(impl, ctx, count: 50, maxInFlight: 1, workers: 4)
                try requireBounded(impl, ctx, count: 5, maxInFlight: 16, workers: 4)
                try requireBounded(impl, ctx, count: 0, maxInFlight: 4, workers: 2)
            },
            Scenario("stops at the first failure, and does not read the rest of the stream", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let records = InstrumentedRecords(count: 1_000_000, hardLimit: 20_000, failing: 200) {
                        let statistics = pool.statistics
                        return statistics.queued == 0 && statistics.idleWorkers == statistics.liveWorkers
                    }
                    let planted = PlantedError("record 200 is malformed")
                    let error = try ctx.step("calling processStream(a stream of 1,000,000 records, maxInFlight: 4) where record 200 fails") {
                        try requireThrows(.errors, "processStream returned although record 200 failed",
                            advice: "`try future.result()` rethrows a record's error: let it out, do not skip it.") {
                            try impl.processStream(records, pool, 4) { record in
                                defer { records.finished(record) }
                                if record == 200 { throw planted }
                                return record
                            }
                        }
                    }
                    let state = records.state
                    try require(state.peakInFlight <= 4, .limit,
                        "processStream read up to \(state.peakInFlight) records ahead of the work" + (state.readTooFar ? " (more than 20,000: the whole stream?)" : ""),
                        expected: "at most 4 in flight", actual: "\(state.peakInFlight)",
                        advice: "Read the stream with an iterator, one record per free slot; `Array(records)` reads it all.")
                    try require(isPlanted(error, planted), .errors, "processStream threw a different error",
                        expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                    try require(state.pulled <= 200 + 2 * 4 + 2, .cancellation,
                        "after record 200 failed, processStream went on reading the stream: \(state.pulled) records read\(state.readTooFar ? " before the check stopped the stream at 20,000" : "")",
                        advice: "Look at each finished future as it comes; on an error, stop reading and rethrow it at once (not at the end).")
                }
            },
        ]
    }
}
