// Exercise 13b · Bounded batches (back-pressure)                        lesson 13: Monitoring
//
// The records come from a stream that may be far too big to hold in memory (a huge file, a
// socket). Submitting one task per record as fast as the stream gives them would queue
// millions of tasks, each holding its record. Instead, keep a bounded number in flight: read
// the next record only when there is room. Write `processStream` so that it:
//
//   1. runs `process(record)` on `pool` for every record of `records`, and returns the sum of
//      the results;
//   2. never has more than `maxInFlight` records read from the stream and not yet processed
//      (submitted, queued or running), and yet processes several at a time;
//   3. reads the stream lazily, one record at a time (no `Array(records)`: it may not end);
//   4. stops at the first failed record and throws its error, without reading the rest.
//
// What you need: an iterator (`var it = records.makeIterator()`, `it.next()`), a set of
// futures in flight, and `wait(inFlight, returnWhen: .firstCompleted)` to make room. (`map`
// with `bufferSize:` does something similar; mind that it submits one more task before it
// waits.)
//
// Check it:   swift run workbook check 13b        Stuck?  swift run workbook hint 13b
import ConcurrentFutures
import ExerciseKit

public func processStream(
    _ records: some Sequence<Int>,
    on pool: ThreadPoolExecutor,
    maxInFlight: Int,
    process: @escaping @Sendable (Int) throws -> Int
) throws -> Int {
    return try todo("read one record at a time, keep at most maxInFlight futures, wait for room")
}
