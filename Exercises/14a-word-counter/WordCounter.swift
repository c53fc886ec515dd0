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
    return try todo("list the .txt files, count each on a pool of your own, merge, rank, report problems")
}
