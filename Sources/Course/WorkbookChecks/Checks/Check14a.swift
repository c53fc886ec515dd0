import ConcurrentFutures
import ExerciseKit
import Foundation

/// 14a The concurrent word counter: exact report, bad files reported and not fatal, files read
/// concurrently on the function's own pool (at most maxWorkers), the pool shut down.
public enum Check14a: ExerciseCheck {
    public typealias ReadFile = @Sendable (String) throws -> [UInt8]
    public struct Implementation: Sendable {
        public var countWords: @Sendable (String, Int, @escaping ReadFile) throws -> WordCountReport
        public init(countWords: @escaping @Sendable (String, Int, @escaping ReadFile) throws -> WordCountReport) {
            self.countWords = countWords
        }
    }

    public static let exerciseID = "14a"

    /// Texts with more than ten distinct words, ties at the tenth place, capitals, accents,
    /// digits and punctuation.
    static let texts: [String: String] = [
        "alpha.txt": "The cat sat on the mat. The END!",
        "beta.txt": "the Dog and the CAT; a bird, a fish, and a frog.",
        "gamma.txt": "Über café — élan, café. L'été: the cat's hat.",
        "delta.txt": "",
        "epsilon.txt": "4 score and 7 years ago... zebra yak xenops, wren: vole.",
    ]

    /// The report the rules ask for, computed here independently.
    static func expectedReport(_ texts: [String: String]) -> WordCountReport {
        var report = WordCountReport()
        var merged: [String: Int] = [:]
        for (name, text) in texts {
            var words: [String] = []
            var current = ""
            for character in text + " " {
                if character.isLetter { current.append(character) } else if !current.isEmpty {
                    words.append(current.lowercased())
                    current = ""
                }
            }
            report.wordsPerFile[name] = words.count
            for word in words { merged[word, default: 0] += 1 }
        }
        report.totalWords = merged.values.reduce(0, +)
        report.topWords = merged.map { WordFrequency(word: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.word < $1.word }
            .prefix(10).map { $0 }
        return report
    }

    static func write(_ texts: [String: String], to folder: String) throws {
        for (name, text) in texts {
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("counts every .txt file, merges, ranks the top 10") { ctx in
                let folder = try ctx.temporaryDirectory()
                try write(texts, to: folder)
                try Data("the the the the".utf8).write(to: URL(fileURLWithPath: folder + "/notes.md"))
                let report = try ctx.step("calling countWords(inFolder: <5 .txt files and a .md>, maxWorkers: 2)") {
                    try impl.countWords(folder, 2, readWholeFile)
                }
                let expected = expectedReport(texts)
                try requireEqual(report.problems, [], .result, "these files are all readable UTF-8 text: no problems expected")
                try requireEqual(report.wordsPerFile, expected.wordsPerFile, .result,
                    "the words per file are wrong (only .txt files count; a word is a run of letters)",
                    advice: "Split on every character that is not a letter: `text.split(whereSeparator: { !$0.isLetter })`.")
                try requireEqual(report.totalWords, expected.totalWords, .result, "the total is wrong")
                try requireEqual(report.topWords, expected.topWords, .order,
                    "the top 10 is wrong: most frequent first, equal counts in alphabetical order, lowercased, at most 10")
            },
            Scenario("unreadable and badly encoded files are reported, and do not stop the run") { ctx in
                let folder = try ctx.temporaryDirectory()
                try write(texts, to: folder)
                try Data([0x66, 0x6F, 0x6F, 0x20, 0xFF, 0xFE, 0x62]).write(to: URL(fileURLWithPath: folder + "/latin.txt"))
                try FileManager.default.createDirectory(atPath: folder + "/folder.txt", withIntermediateDirectories: false)
                try FileManager.default.createSymbolicLink(atPath: folder + "/gone.txt", withDestinationPath: folder + "/nowhere/gone.txt")
                let report = try ctx.step("calling countWords on a folder with a non-UTF-8 file, a folder named folder.txt and a broken link gone.txt") {
                    try impl.countWords(folder, 3, readWholeFile)
                }
                try requireEqual(report.problems.map(\.file), ["folder.txt", "gone.txt", "latin.txt"], .errors,
                    "the problems must list exactly the three bad files, sorted by name",
                    advice: "Catch each file's error where you collect its future's result, and keep going.")
                let latin = report.problems.first { $0.file == "latin.txt" }
                try requireEqual(latin?.reason, "not valid UTF-8", .errors, "latin.txt is not UTF-8: its reason must say exactly that")
                try require(report.problems.allSatisfy { !$0.reason.isEmpty }, .errors, "every problem needs a reason")
                let expected = expectedReport(texts)
                try requireEqual(report.wordsPerFile, expected.wordsPerFile, .result,
                    "the good files must still be counted, and the bad ones must have no word count")
                try requireEqual(report.topWords, expected.topWords, .result, "the bad files changed the top 10")
            },
            Scenario("reads the files at the same time on its own pool, at most maxWorkers, and shuts it down") { ctx in
                let folder = try ctx.temporaryDirectory()
                let many = Dictionary(uniqueKeysWithValues: (1...12).map { ("file\($0).txt", "word \($0) and more words") })
                try write(many, to: folder)
                let witness = ThreadWitness()
                let probe = ConcurrencyProbe()
                let overlap = ctx.rendezvous("two files read at the same time")
                let reads = EventLog()
                let report = try ctx.step("calling countWords(inFolder: <12 files>, maxWorkers: 3)") {
                    try impl.countWords(folder, 3) { path in
                        try probe.measure {
                            witness.note()
                            reads.record((path as NSString).lastPathComponent)
                            overlap.arrive()
                            return try readWholeFile(path)
                        }
                    }
                }
                try requireEqual(report.totalWords, expectedReport(many).totalWords, .result, "the total is wrong")
                try requireEqual(reads.all.sorted(), many.keys.sorted(), .result, "each file must be read exactly once, with readFile")
                try require(!witness.sawNonWorker, .concurrency, "a file was read on the calling thread, not in a task on the pool",
                    advice: "Call readFile inside the task: reading is the slow part.")
                try require(overlap.met, .concurrency, "the files were read one at a time")
                try require(probe.peak <= 3, .limit, "more files were read at once than maxWorkers allows",
                    expected: "at most 3", actual: "\(probe.peak)", advice: "Create the pool with `maxWorkers: maxWorkers`.")
                try require(witness.stillAlive.isEmpty, .shutdown,
                    "the pool's threads were still alive after countWords returned: the pool was not shut down",
                    advice: "`withThreadPool(maxWorkers:) { pool in ... }` shuts the pool down, waiting, when its body ends.")
            },
            Scenario("an empty folder gives an empty report; a missing folder throws") { ctx in
                let folder = try ctx.temporaryDirectory()
                let empty = try ctx.step("calling countWords on an empty folder") { try impl.countWords(folder, 2, readWholeFile) }
                try requireEqual(empty, WordCountReport(), .result, "an empty folder has no words and no problems")
                _ = try ctx.step("calling countWords on a folder that does not exist") {
                    try requireThrows(.errors, "countWords returned a report for a folder that does not exist") {
                        try impl.countWords(folder + "/missing", 2, readWholeFile)
                    }
                }
            },
        ]
    }
}
