import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers13b: [KnownAnswer] = [
        .wrong("13b", "reads the whole stream first", caughtOn: .limit,
            Check13b.prepare(.init(processStream: { records, pool, _, process in
                try Array(pool.map(Array(records)) { try process($0) }).reduce(0, +)
            }), module: module)),
        .wrong("13b", "map with bufferSize: maxInFlight (it submits one more before it waits)", caughtOn: .limit,
            Check13b.prepare(.init(processStream: { records, pool, maxInFlight, process in
                let results = try pool.map(records, bufferSize: maxInFlight) { try process($0) }
                var sum = 0
                while let value = try results.next() { sum += value }
                return sum
            }), module: module)),
        .wrong("13b", "makes room only when more than maxInFlight are in flight", caughtOn: .limit,
            Check13b.prepare(.init(processStream: { records, pool, maxInFlight, process in
                var inFlight = Set<Future<Int>>()
                var sum = 0
                var stream = records.makeIterator()
                while let record = stream.next() {
                    inFlight.insert(try pool.submit { try process(record) })
                    if inFlight.count > maxInFlight {
                        let (done, notDone) = try wait(inFlight, returnWhen: .firstCompleted)
                        inFlight = notDone
                        for future in done { sum += try future.result() }
                    }
                }
                for future in inFlight { sum += try future.result() }
                return sum
            }), module: module)),
        .wrong("13b", "reads lazily but keeps going after a failure, and throws it at the end", caughtOn: .cancellation,
            Check13b.prepare(.init(processStream: { records, pool, maxInFlight, process in
                var inFlight = Set<Future<Int>>()
                var sum = 0
                var firstError: (any Error)?
                func collect(_ finished: Set<Future<Int>>) {
                    for future in finished {
                        do { sum += try future.result() } catch { firstError = firstError ?? error }
                    }
                }
                var stream = records.makeIterator()
                while true {
                    if inFlight.count >= maxInFlight {
                        let (done, notDone) = try wait(inFlight, returnWhen: .firstCompleted)
                        inFlight = notDone
                        collect(done)
                    }
                    guard let record = stream.next() else { break }
                    inFlight.insert(try pool.submit { try process(record) })
                }
                collect(try wait(inFlight).done)
                if let firstError { throw firstError }
                return sum
            }), module: module)),
        .wrong("13b", "skips the records that fail", caughtOn: .errors,
            Check13b.prepare(.init(processStream: { records, pool, maxInFlight, process in
                var inFlight = Set<Future<Int>>()
                var sum = 0
                var stream = records.makeIterator()
                while true {
                    if inFlight.count >= maxInFlight {
                        let (done, notDone) = try wait(inFlight, returnWhen: .firstCompleted)
                        inFlight = notDone
                        for future in done { sum += (try? future.result()) ?? 0 }
                    }
                    guard let record = stream.next() else { break }
                    inFlight.insert(try pool.submit { try process(record) })
                }
                for future in try wait(inFlight).done { sum += (try? future.result()) ?? 0 }
                return sum
            }), module: module)),
        .right("13b", "batches of maxInFlight, each waited for whole",
            Check13b.prepare(.init(processStream: { records, pool, maxInFlight, process in
                var stream = records.makeIterator()
                var sum = 0
                while true {
                    var batch: [Future<Int>] = []
                    while batch.count < maxInFlight, let record = stream.next() {
                        batch.append(try pool.submit { try process(record) })
                    }
                    if batch.isEmpty { return sum }
                    for future in batch {
                        do { sum += try future.result() } catch {
                            batch.forEach { $0.cancel() }
                            throw error
                        }
                    }
                }
            }), module: module)),
        .right("13b", "a semaphore of maxInFlight slots, taken before each read, given back by the task",
            Check13b.prepare(.init(processStream: { records, pool, maxInFlight, process in
                // Made empty, then filled: a DispatchSemaphore freed below its initial value
                // (a cancelled task never gives its slot back) stops the program.
                let slots = DispatchSemaphore(value: 0)
                for _ in 0..<maxInFlight { slots.signal() }
                let failure = LockedValue<(any Error)?>(nil)
                var futures: [Future<Int>] = []
                var stream = records.makeIterator()
                while true {
                    slots.wait()
                    if failure.withLock({ $0 }) != nil { slots.signal(); break }
                    guard let record = stream.next() else { slots.signal(); break }
                    futures.append(try pool.submit {
                        defer { slots.signal() }
                        do { return try process(record) } catch {
                            failure.withLock { $0 = $0 ?? error }
                            throw error
                        }
                    })
                }
                if let error = failure.withLock({ $0 }) {
                    futures.forEach { $0.cancel() }
                    throw error
                }
                return try futures.reduce(0) { try $0 + $1.result() }
            }), module: module)),
    ]
}
