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
    ]
}
