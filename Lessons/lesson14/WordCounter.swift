// Project 1 of lesson 14: the concurrent word counter, and the corpus it counts.

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // mkdir, symlink

/// A small, repeatable random number generator, so every run makes the same files.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}

/// Words the generated corpus is made of, most common first (their frequencies fall off like
/// those of real text).
let vocabulary = """
    the of and to a in is it you that he was for on are with as his they be at one have this from \
    or had by hot word but what some we can out other were all there when up use your how said an \
    each she which do their time if will way about many then them write would like so these her \
    long make thing see him two has look more day could go come did number sound no most people \
    my over know water than call first who may down side been now find pool thread future queue \
    worker task result error timeout cancel deadlock lock process memory signal socket server page
    """.split(separator: " ").map(String.init)

/// Writes `count` chapters of generated prose into `folder`, plus three files that cannot be
/// counted: one in Latin-1 instead of UTF-8, a link to a file that does not exist, and a folder
/// whose name ends in .txt.
func writeCorpus(into folder: String, chapters count: Int, wordsPerChapter: Int) throws {
    var random = SeededGenerator(state: 2024)
    for chapter in 1...count {
        var text = ""
        for index in 0..<wordsPerChapter {
            // Squaring a uniform number favours the start of the list: a rough Zipf curve.
            let uniform = Double(random.next() % 1_000_000) / 1_000_000
            text += vocabulary[Int(uniform * uniform * Double(vocabulary.count))]
            text += index % 12 == 11 ? ".\n" : " "
        }
        try writeFile(folder + "/chapter-\(chapter < 10 ? "0" : "")\(chapter).txt", Array(text.utf8))
    }
    // "café crème" in Latin-1: 0xE9 and 0xE8 are not valid UTF-8 on their own.
    try writeFile(folder + "/notes-latin1.txt", Array("caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me\n".utf8))
    symlink(folder + "/moved-away.txt", folder + "/broken-link.txt")
    mkdir(folder + "/drafts.txt", 0o755)
}

/// Why a file could not be counted.
struct NotUTF8: Error, CustomStringConvertible {
    let offset: Int
    var description: String { "not valid UTF-8 (byte \(offset))" }
}

/// Counts the words of one file. A word is a run of letters (any non-ASCII UTF-8 character
/// counts as a letter, so "café" stays one word), lower-cased.
func countWords(inFile path: String) throws -> [String: Int] {
    let bytes = try readFile(path)
    guard String(validating: bytes, as: UTF8.self) != nil else {
        let offset = bytes.firstIndex { $0 >= 0x80 } ?? 0
        throw NotUTF8(offset: offset)
    }
    var counts: [String: Int] = [:]
    var word: [UInt8] = []
    for byte in bytes + [0x20] {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), 0x80...0xFF: word.append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
        default:
            if !word.isEmpty {
                counts[String(decoding: word, as: UTF8.self), default: 0] += 1
                word.removeAll(keepingCapacity: true)
            }
        }
    }
    return counts
}

/// Adds the counts of one file to the running total.
func merge(_ counts: [String: Int], into total: inout [String: Int]) {
    for (word, count) in counts { total[word, default: 0] += count }
}


/// Counts every file on `pool`, one task per file, merged as they finish; a file that cannot be
/// counted is reported with its path, not fatal.
func countAllWords(_ paths: [String], on pool: ThreadPoolExecutor) throws -> (total: [String: Int], bad: [(path: String, error: any Error)]) {
    // snippet: word-counter
    var inputs: [Future<[String: Int]>: String] = [:]
    for path in paths {
        inputs[try pool.submit { try countWords(inFile: path) }] = path
    }
    var total: [String: Int] = [:]
    var bad: [(path: String, error: any Error)] = []
    try asCompleted(inputs.keys).forEach { future in
        do {
            merge(try future.result(), into: &total)
        } catch {
            bad.append((inputs[future]!, error))
        }
    }
    // snippet end
    return (total, bad)
}
