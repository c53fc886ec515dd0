import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers15a: [KnownAnswer] = [
        .wrong("15a", "blocks its thread with result()", caughtOn: .promptness,
            Check15a.prepare(.init(renderAsync: { page, pool, render in
                try pool.submit { try render(page) }.result()
            }), module: module)),
    ]
}
