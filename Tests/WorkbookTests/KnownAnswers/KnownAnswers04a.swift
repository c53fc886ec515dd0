import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers04a: [KnownAnswer] = [
        .wrong("04a", "reports in the order of the mirrors", caughtOn: .order,
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                let futures = try mirrors.map { mirror in try pool.submit { try download(mirror) } }
                var fastest: String?
                for (mirror, future) in zip(mirrors, futures) {
                    let outcome = Result { try future.result() }
                    report(mirror, outcome)
                    if fastest == nil, case .success = outcome { fastest = mirror }
                }
                return fastest
            }), module: module)),
    ]
}
