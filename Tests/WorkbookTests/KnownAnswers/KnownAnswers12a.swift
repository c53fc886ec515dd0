import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers12a: [KnownAnswer] = [
        .wrong("12a", "the original pipeline: a task waits for a task of the same pool", caughtOn: .deadlock,
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                let futures = try documents.map { document in
                    try pool.submit(label: "parse \(document)") {
                        let words = try parse(document)
                        return try pool.submit(label: "index \(document)") { try index(words) }.result()
                    }
                }
                return try futures.map { try $0.result() }
            }), module: module)),
        .wrong("12a", "indexes on the calling thread", caughtOn: .pool,
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                let parsed = try documents.map { document in try pool.submit { try parse(document) } }
                return try parsed.map { try index($0.result()) }
            }), module: module)),
        .wrong("12a", "indexes on a pool of its own, which a parse task waits for", caughtOn: .pool,
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                try withThreadPool(maxWorkers: 2) { indexPool in
                    let futures = try documents.map { document in
                        try pool.submit { try indexPool.submit { [words = try parse(document)] in try index(words) }.result() }
                    }
                    return try futures.map { try $0.result() }
                }
            }), module: module)),
        .wrong("12a", "collects the results in the order they finish", caughtOn: .order,
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                let parsed = try documents.map { document in try pool.submit { try parse(document) } }
                let indexed = try parsed.map { future in try pool.submit { [words = try future.result()] in try index(words) } }
                var results: [Int] = []
                let completed = try asCompleted(indexed)
                while let future = try completed.next() { results.append(try future.result()) }
                return results
            }), module: module)),
        .wrong("12a", "wraps a stage's error in an error of its own", caughtOn: .errors,
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                struct StageFailed: Error { let cause: any Error }
                do {
                    let parsed = try documents.map { document in try pool.submit { try parse(document) } }
                    let indexed = try parsed.map { future in try pool.submit { [words = try future.result()] in try index(words) } }
                    return try indexed.map { try $0.result() }
                } catch {
                    throw StageFailed(cause: error)
                }
            }), module: module)),
        .right("12a", "both stages in one task per document: nothing waits on the pool",
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                let futures = try documents.map { document in try pool.submit { try index(parse(document)) } }
                return try futures.map { try $0.result() }
            }), module: module)),
        .right("12a", "the caller waits for each parse, then submits its index",
            Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
                let parsed = try documents.map { document in try pool.submit { try parse(document) } }
                let indexed = try parsed.map { future in try pool.submit { [words = try future.result()] in try index(words) } }
                return try indexed.map { try $0.result() }
            }), module: module)),
    ]
}
