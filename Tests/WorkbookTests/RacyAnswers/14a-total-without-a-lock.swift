// A known wrong answer to exercise 14a, for `workbook check 14a --tsan` in CI: each task adds
// each word it counts to one shared total, with no lock, in a box that tells the compiler not
// to check (`@unchecked Sendable`). The total is often right anyway; ThreadSanitizer reports the
// race in every run. (A shared dictionary changed the same way can even crash the program.)
import ConcurrentFutures
import ExerciseKit
import Foundation

final class RunningTotal: @unchecked Sendable {
    var words = 0
}

struct NotUTF8: Error {}

public func countWords(
    inFolder folder: String,
    maxWorkers: Int,
    readFile: @escaping @Sendable (String) throws -> [UInt8] = readWholeFile
) throws -> WordCountReport {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
    let total = RunningTotal()
    return try withThreadPool(maxWorkers: maxWorkers) { pool in
        let counts = try names.map { name in
            try pool.submit { () -> [String: Int] in
                guard let text = String(validating: try readFile(folder + "/" + name), as: UTF8.self) else { throw NotUTF8() }
                var counts: [String: Int] = [:]
                for word in text.split(whereSeparator: { !$0.isLetter }) {
                    counts[word.lowercased(), default: 0] += 1
                    total.words += 1  // counted as we go, in the total that every task shares
                }
                return counts
            }
        }
        var report = WordCountReport()
        var merged: [String: Int] = [:]
        for (name, future) in zip(names, counts) {
            do {
                let words = try future.result()
                report.wordsPerFile[name] = words.values.reduce(0, +)
                merged.merge(words, uniquingKeysWith: +)
            } catch is NotUTF8 {
                report.problems.append(FileProblem(file: name, reason: "not valid UTF-8"))
            } catch {
                report.problems.append(FileProblem(file: name, reason: String(describing: error)))
            }
        }
        report.totalWords = total.words
        report.topWords = merged
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(10)
            .map { WordFrequency(word: $0.key, count: $0.value) }
        return report
    }
}
