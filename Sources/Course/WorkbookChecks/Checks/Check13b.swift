import ConcurrentFutures
import ExerciseKit

/// A stream of the records 1, 2, 3, ... that watches how far it is read ahead of the work.
public struct InstrumentedRecords: Sequence, Sendable {
    final class Tracker: Sendable {
        struct State {
            var pulled = 0
            var finished = 0
            var peakInFlight = 0
            var readTooFar = false
        }
        let state = LockedValue(State())
    }

    let count: Int
    /// Reading stops here even if the stream is longer (an implementation that reads it all).
    let hardLimit: Int
    let tracker = Tracker()

    public struct Iterator: IteratorProtocol {
        let records: InstrumentedRecords
        public mutating func next() -> Int? {
            records.tracker.state.withLock { state in
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
    func finished() { tracker.state.withLock { $0.finished += 1 } }
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

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("3,000 records, never more than 3 in flight, yet several at a time", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 8) { pool in
                    let records = InstrumentedRecords(count: 3000, hardLimit: 3000)
                    let overlap = ctx.rendezvous("two records processed at the same time")
                    let sum = try ctx.step("calling processStream(3,000 records, on: a pool of 8 workers, maxInFlight: 3)") {
                        try impl.processStream(records, pool, 3) { record in
                            defer { records.finished() }
                            overlap.arrive()
                            return record
                        }
                    }
                    let state = records.state
                    try requireEqual(sum, 3000 * 3001 / 2, .result, "the sum of the results is wrong")
                    try require(state.peakInFlight <= 3, .limit,
                        "up to \(state.peakInFlight) records were read from the stream before earlier ones were processed",
                        expected: "at most 3 in flight", actual: "\(state.peakInFlight)",
                        advice: "Read the next record only when fewer than maxInFlight futures are unfinished: wait for one first. (`map(bufferSize:)` submits one more before it waits.)")
                    try require(overlap.met, .concurrency, "the records were processed one at a time",
                        advice: "Keep several futures in flight; wait only when there are maxInFlight of them.")
                }
            },
            Scenario("stops at the first failure, and does not read the rest of the stream", timeLimit: 10) { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let records = InstrumentedRecords(count: 1_000_000, hardLimit: 20_000)
                    let error = try ctx.step("calling processStream(a stream of 1,000,000 records, maxInFlight: 4) where record 200 fails") {
                        try requireThrows(.errors, "processStream returned although record 200 failed") {
                            try impl.processStream(records, pool, 4) { record in
                                defer { records.finished() }
                                if record == 200 { throw PlantedError("record 200 is malformed") }
                                return record
                            }
                        }
                    }
                    let state = records.state
                    try require(!state.readTooFar, .limit,
                        "processStream read more than 20,000 records of the stream, far ahead of the work",
                        advice: "Read the stream with an iterator, one record per free slot; `Array(records)` reads it all.")
                    try require(isPlanted(error, "record 200 is malformed"), .errors, "processStream threw a different error",
                        expected: "PlantedError(record 200 is malformed)", actual: show(error))
                    try require(state.pulled <= 250, .cancellation,
                        "after record 200 failed, processStream went on reading: \(state.pulled) records read",
                        advice: "Look at each finished future as it comes; on an error, stop reading and rethrow it.")
                }
            },
        ]
    }
}
