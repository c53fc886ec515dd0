import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

/// `Result { ... }` for async work (Swift 6.0 has no async `Result(catching:)`).
func outcomeOf(_ body: () async throws -> Int) async -> Result<Int, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}

extension KnownAnswers {
    static let answers15b: [KnownAnswer] = [
        .wrong("15b", "starts every job at once", caughtOn: .limit,
            Check15b.prepare(.init(runWithTaskGroup: { inputs, _, job in
                try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                    for (index, input) in inputs.enumerated() { group.addTask { (index, try await job(input)) } }
                    var results = [Int](repeating: 0, count: inputs.count)
                    for try await (index, value) in group { results[index] = value }
                    return results
                }
            }), module: module)),
        .wrong("15b", "runs the jobs in batches of limit", caughtOn: .concurrency,
            Check15b.prepare(.init(runWithTaskGroup: { inputs, limit, job in
                var results = [Int](repeating: 0, count: inputs.count)
                for start in stride(from: 0, to: inputs.count, by: max(1, limit)) {
                    try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                        for index in start..<min(start + limit, inputs.count) {
                            let input = inputs[index]
                            group.addTask { (index, try await job(input)) }
                        }
                        for try await (index, value) in group { results[index] = value }
                    }
                }
                return results
            }), module: module)),
        .wrong("15b", "collects the results in the order they finish", caughtOn: .order,
            Check15b.prepare(.init(runWithTaskGroup: { inputs, limit, job in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    var next = 0
                    while next < min(limit, inputs.count) {
                        let input = inputs[next]
                        group.addTask { try await job(input) }
                        next += 1
                    }
                    var results: [Int] = []
                    while let value = try await group.next() {
                        results.append(value)
                        if next < inputs.count {
                            let input = inputs[next]
                            group.addTask { try await job(input) }
                            next += 1
                        }
                    }
                    return results
                }
            }), module: module)),
        .wrong("15b", "adds the next job before it looks at the result", caughtOn: .limit,
            Check15b.prepare(.init(runWithTaskGroup: { inputs, limit, job in
                try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                    var results = [Int](repeating: 0, count: inputs.count)
                    var next = 0
                    func addNext() {
                        guard next < inputs.count else { return }
                        let (index, input) = (next, inputs[next])
                        group.addTask { (index, try await job(input)) }
                        next += 1
                    }
                    while next < min(limit, inputs.count) { addNext() }
                    while !group.isEmpty {
                        addNext()
                        guard let (index, value) = try await group.next() else { break }
                        results[index] = value
                    }
                    return results
                }
            }), module: module)),
        .wrong("15b", "keeps going after an error, and throws it at the end", caughtOn: .cancellation,
            Check15b.prepare(.init(runWithTaskGroup: { inputs, limit, job in
                try await withThrowingTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
                    var results = [Int](repeating: 0, count: inputs.count)
                    var firstError: (any Error)?
                    var next = 0
                    while next < min(limit, inputs.count) {
                        let (index, input) = (next, inputs[next])
                        group.addTask { (index, await outcomeOf { try await job(input) }) }
                        next += 1
                    }
                    while let (index, outcome) = try await group.next() {
                        switch outcome {
                        case .success(let value): results[index] = value
                        case .failure(let error): firstError = firstError ?? error
                        }
                        if next < inputs.count {
                            let (index, input) = (next, inputs[next])
                            group.addTask { (index, await outcomeOf { try await job(input) }) }
                            next += 1
                        }
                    }
                    if let firstError { throw firstError }
                    return results
                }
            }), module: module)),
        .right("15b", "the inputs as an iterator, a dictionary of results by position",
            Check15b.prepare(.init(runWithTaskGroup: { inputs, limit, job in
                try await withThrowingTaskGroup(of: (position: Int, value: Int).self) { group in
                    var pending = inputs.enumerated().makeIterator()
                    var running = 0
                    var byPosition: [Int: Int] = [:]
                    while running < limit, let (position, input) = pending.next() {
                        group.addTask { (position, try await job(input)) }
                        running += 1
                    }
                    while let finished = try await group.next() {
                        byPosition[finished.position] = finished.value
                        if let (position, input) = pending.next() {
                            group.addTask { (position, try await job(input)) }
                        }
                    }
                    return inputs.indices.map { byPosition[$0]! }
                }
            }), module: module)),
    ]
}
