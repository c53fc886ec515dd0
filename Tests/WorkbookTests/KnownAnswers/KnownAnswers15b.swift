import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

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
    ]
}
