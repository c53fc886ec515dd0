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
        .wrong("04a", "loops over asCompleted but pairs the n-th future to finish with the n-th mirror", caughtOn: .result,
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                let futures = try mirrors.map { mirror in try pool.submit { try download(mirror) } }
                var fastest: String?
                var position = 0
                let completed = try asCompleted(futures)
                while let future = try completed.next() {
                    let outcome = Result { try future.result() }
                    report(mirrors[position], outcome)
                    if fastest == nil, case .success = outcome { fastest = mirrors[position] }
                    position += 1
                }
                return fastest
            }), module: module)),
        .wrong("04a", "stops at the first mirror that is down", caughtOn: .errors,
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                var mirrorOf: [Future<Int>: String] = [:]
                for mirror in mirrors { mirrorOf[try pool.submit { try download(mirror) }] = mirror }
                var fastest: String?
                let completed = try asCompleted(mirrorOf.keys)
                while let future = try completed.next() {
                    let size = try future.result()
                    report(mirrorOf[future]!, .success(size))
                    if fastest == nil { fastest = mirrorOf[future]! }
                }
                return fastest
            }), module: module)),
        .wrong("04a", "returns the first mirror of the list that succeeded", caughtOn: .result,
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                var mirrorOf: [Future<Int>: String] = [:]
                for mirror in mirrors { mirrorOf[try pool.submit { try download(mirror) }] = mirror }
                var succeeded: Set<String> = []
                let completed = try asCompleted(mirrorOf.keys)
                while let future = try completed.next() {
                    let outcome = Result { try future.result() }
                    report(mirrorOf[future]!, outcome)
                    if case .success = outcome { succeeded.insert(mirrorOf[future]!) }
                }
                return mirrors.first { succeeded.contains($0) }
            }), module: module)),
        .wrong("04a", "reports a failure with an error of its own", caughtOn: .errors,
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                struct MirrorDown: Error { let mirror: String }
                var mirrorOf: [Future<Int>: String] = [:]
                for mirror in mirrors { mirrorOf[try pool.submit { try download(mirror) }] = mirror }
                var fastest: String?
                let completed = try asCompleted(mirrorOf.keys)
                while let future = try completed.next() {
                    let mirror = mirrorOf[future]!
                    if let size = try? future.result() {
                        report(mirror, .success(size))
                        if fastest == nil { fastest = mirror }
                    } else {
                        report(mirror, .failure(MirrorDown(mirror: mirror)))
                    }
                }
                return fastest
            }), module: module)),
        .wrong("04a", "waits for every download, then reports them", caughtOn: .order,
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                var mirrorOf: [Future<Int>: String] = [:]
                for mirror in mirrors { mirrorOf[try pool.submit { try download(mirror) }] = mirror }
                _ = try wait(mirrorOf.keys)
                var fastest: String?
                let completed = try asCompleted(mirrorOf.keys)
                while let future = try completed.next() {
                    let outcome = Result { try future.result() }
                    report(mirrorOf[future]!, outcome)
                    if fastest == nil, case .success = outcome { fastest = mirrorOf[future]! }
                }
                return fastest
            }), module: module)),
        .right("04a", "waits in rounds (firstCompleted), an array of pairs instead of a dictionary",
            Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
                let pairs = try mirrors.map { mirror in (mirror, try pool.submit { try download(mirror) }) }
                var pending = Set(pairs.map(\.1))
                var fastest: String?
                while !pending.isEmpty {
                    let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                    for (mirror, future) in pairs where done.contains(future) {
                        do {
                            report(mirror, .success(try future.result()))
                            if fastest == nil { fastest = mirror }
                        } catch {
                            report(mirror, .failure(error))
                        }
                    }
                    pending = notDone
                }
                return fastest
            }), module: module)),
    ]
}
