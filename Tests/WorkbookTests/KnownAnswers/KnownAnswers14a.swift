import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

/// 14a's solution with one thing changed, chosen by `mistake`.
enum WordCounterMistake {
    case none, noShutdown, localizedTies, lettingErrorsOut, splitsOnSpaces, intoSubfolders, describesBadUTF8, unsortedProblems, defaultPoolSize
}

struct NotText: Error {}

func countWords(_ folder: String, _ maxWorkers: Int, _ readFile: @escaping @Sendable (String) throws -> [UInt8],
                _ mistake: WordCounterMistake) throws -> WordCountReport {
    var names = try FileManager.default.contentsOfDirectory(atPath: folder)
    if mistake == .intoSubfolders {
        names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? names
    }
    names = names.filter { $0.hasSuffix(".txt") }
    if mistake != .unsortedProblems { names.sort() }
    let pool = try ThreadPoolExecutor(maxWorkers: mistake == .defaultPoolSize ? 8 : maxWorkers)
    defer { if mistake != .noShutdown { pool.shutdown(wait: true) } }
    let futures = try names.map { name in
        try pool.submit { () -> [String: Int] in
            guard let text = String(validating: try readFile(folder + "/" + name), as: UTF8.self) else { throw NotText() }
            let words = mistake == .splitsOnSpaces
                ? text.split(separator: " ").map { $0.lowercased() }
                : text.split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }
            return words.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        }
    }
    var report = WordCountReport()
    var merged: [String: Int] = [:]
    for (name, future) in zip(names, futures) {
        do {
            let counts = try future.result()
            report.wordsPerFile[(name as NSString).lastPathComponent] = counts.values.reduce(0, +)
            merged.merge(counts, uniquingKeysWith: +)
        } catch is NotText {
            report.problems.append(FileProblem(file: name, reason: mistake == .describesBadUTF8 ? "\(NotText())" : "not valid UTF-8"))
        } catch {
            if mistake == .lettingErrorsOut { throw error }
            report.problems.append(FileProblem(file: name, reason: String(describing: error)))
        }
    }
    report.totalWords = merged.values.reduce(0, +)
    report.topWords = merged.sorted {
        if $0.value != $1.value { return $0.value > $1.value }
        return mistake == .localizedTies ? $0.key.localizedStandardCompare($1.key) == .orderedAscending : $0.key < $1.key
    }.prefix(10).map { WordFrequency(word: $0.key, count: $0.value) }
    return report
}

func check14a(_ mistake: WordCounterMistake) -> PreparedCheck {
    Check14a.prepare(.init(countWords: { try countWords($0, $1, $2, mistake) }), module: KnownAnswers.module)
}

extension KnownAnswers {
    static let answers14a: [KnownAnswer] = [
        .wrong("14a", "reads the files on the calling thread", caughtOn: .pool,
            Check14a.prepare(.init(countWords: { folder, maxWorkers, readFile in
                var contents: [String: Result<[UInt8], any Error>] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".txt") {
                    contents[folder + "/" + name] = Result { try readFile(folder + "/" + name) }
                }
                let read = contents
                return try Solutions.countWords(inFolder: folder, maxWorkers: maxWorkers) { path in try read[path]!.get() }
            }), module: module)),
        .wrong("14a", "never shuts its pool down", caughtOn: .shutdown, check14a(.noShutdown)),
        .wrong("14a", "orders ties with localizedStandardCompare", caughtOn: .order, check14a(.localizedTies)),
        .wrong("14a", "lets a bad file's error out of countWords", caughtOn: .errors, check14a(.lettingErrorsOut)),
        .wrong("14a", "splits words on spaces only", caughtOn: .result, check14a(.splitsOnSpaces)),
        .wrong("14a", "counts the files of subfolders too", caughtOn: .result, check14a(.intoSubfolders)),
        .wrong("14a", "gives a non-UTF-8 file the error's description as its reason", caughtOn: .errors, check14a(.describesBadUTF8)),
        .wrong("14a", "does not sort the problems", caughtOn: .order, check14a(.unsortedProblems)),
        .wrong("14a", "a pool of 8 whatever maxWorkers says", caughtOn: .limit, check14a(.defaultPoolSize)),
        .right("14a", "a pool made and shut down by hand, words counted by hand",
            Check14a.prepare(.init(countWords: { folder, maxWorkers, readFile in
                let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
                let pool = try ThreadPoolExecutor(maxWorkers: maxWorkers)
                defer { pool.shutdown(wait: true) }
                let outcomes = try pool.map(names) { name in
                    Result { () throws -> [String: Int] in
                        guard let text = String(validating: try readFile(folder + "/" + name), as: UTF8.self) else { throw NotText() }
                        var counts: [String: Int] = [:]
                        var word = ""
                        for character in text + " " {
                            if character.isLetter { word.append(character) } else if !word.isEmpty {
                                counts[word.lowercased(), default: 0] += 1
                                word = ""
                            }
                        }
                        return counts
                    }
                }
                var report = WordCountReport()
                var merged: [String: Int] = [:]
                for name in names {
                    switch try outcomes.next()! {
                    case .success(let counts):
                        report.wordsPerFile[name] = counts.values.reduce(0, +)
                        for (word, count) in counts { merged[word, default: 0] += count }
                    case .failure(let error):
                        report.problems.append(FileProblem(file: name, reason: error is NotText ? "not valid UTF-8" : "\(error)"))
                    }
                }
                report.totalWords = merged.values.reduce(0, +)
                report.topWords = merged.map { WordFrequency(word: $0.key, count: $0.value) }
                    .sorted { ($1.count, $0.word) < ($0.count, $1.word) }
                    .prefix(10).map { $0 }
                return report
            }), module: module)),
    ]
}
