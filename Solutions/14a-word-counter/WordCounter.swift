// Exercise 14a · The concurrent word counter                              lesson 14: Projects
//
// The classic first project with a pool: count the words of a folder of text files, one file
// per task, and merge the counts. Real folders hold surprises: a file that cannot be read, a
// file that is not UTF-8 text. Those are reported, and the run goes on. Write `countWords` so
// that it:
//
//   1. lists `folder` (not its subfolders) and takes every entry whose name ends in ".txt";
//      a missing folder is the one error that `countWords` throws;
//   2. counts each file's words in a task of its own, on a pool that `countWords` creates with
//      `maxWorkers` threads and shuts down before it returns (`withThreadPool`). Read each
//      file with `readFile(path)` (it may throw), inside the task;
//   3. a word is a run of letters (`Character.isLetter`), lowercased: "The cat's CAT-flap"
//      has the words the, cat, s, cat, flap. Digits and punctuation separate words;
//   4. returns a `WordCountReport`: the words of each counted file by file name, the total,
//      the ten most frequent words (most frequent first; equal counts ordered by Swift's `<`
//      on the words, which compares Unicode code points: "zebra" comes before "élan"; fewer
//      if there are fewer words), and the problems, sorted by file name (with `<` too): a
//      file that is not valid UTF-8 gets the reason "not valid UTF-8"; a file that cannot be
//      read gets the description of the error `readFile` threw. A file with a problem has no
//      word count.
//
// From ExerciseKit:  struct WordCountReport { var wordsPerFile: [String: Int]; var totalWords: Int
//                        var topWords: [WordFrequency]; var problems: [FileProblem] }
//                    struct WordFrequency { var word: String; var count: Int }
//                    struct FileProblem { var file: String; var reason: String }
//
// What you need: `FileManager.default.contentsOfDirectory(atPath:)`; `String(validating: bytes,
// as: UTF8.self)` is `nil` for bytes that are not UTF-8; `text.split(whereSeparator:)`.
//
// Try it on real text:  the lessons' folders hold README files; copy a few into a folder.
// Check it:   swift run workbook check 14a        Stuck?  swift run workbook hint 14a
import ConcurrentFutures
import ExerciseKit
import Foundation

public func countWords(
    inFolder folder: String,
    maxWorkers: Int,
    readFile: @escaping @Sendable (String) throws -> [UInt8] = readWholeFile
) throws -> WordCountReport {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        .filter { $0.hasSuffix(".txt") }
        .sorted()
    // The pool lives as long as this call: withThreadPool shuts it down (waiting) at the end.
    return try withThreadPool(maxWorkers: maxWorkers) { pool in
        let counts = try names.map { name in
            try pool.submit(label: name) { try wordCounts(ofFile: folder + "/" + name, readFile: readFile) }
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
                // One bad file is reported; the others still count.
                report.problems.append(FileProblem(file: name, reason: String(describing: error)))
            }
        }
        report.totalWords = merged.values.reduce(0, +)
        report.topWords = merged
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(10)
            .map { WordFrequency(word: $0.key, count: $0.value) }
        return report
    }
}

/// A file whose bytes are not UTF-8 text.
struct NotUTF8: Error {}

/// How often each word occurs in one file. Runs in a task: the reading and the counting are
/// the slow part, and each file is independent of the others.
private func wordCounts(ofFile path: String, readFile: (String) throws -> [UInt8]) throws -> [String: Int] {
    guard let text = String(validating: try readFile(path), as: UTF8.self) else { throw NotUTF8() }
    var counts: [String: Int] = [:]
    for word in text.split(whereSeparator: { !$0.isLetter }) {
        counts[word.lowercased(), default: 0] += 1
    }
    return counts
}
