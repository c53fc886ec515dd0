import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers14a: [KnownAnswer] = [
        .wrong("14a", "reads the files on the calling thread", caughtOn: .concurrency,
            Check14a.prepare(.init(countWords: { folder, maxWorkers, readFile in
                var contents: [String: Result<[UInt8], any Error>] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".txt") {
                    contents[folder + "/" + name] = Result { try readFile(folder + "/" + name) }
                }
                let read = contents
                return try countWords(inFolder: folder, maxWorkers: maxWorkers) { path in try read[path]!.get() }
            }), module: module)),
    ]
}
