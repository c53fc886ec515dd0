import ConcurrentFutures
import ExerciseKit
import Foundation

/// Makes the thread that calls `install()` take a moment longer to exit: Foundation releases
/// a thread's `threadDictionary` as the thread ends, and this object's deinit sleeps there. A
/// pool shut down with `wait: true` waits for it; a pool left to shut itself down (when it is
/// freed) still has its threads when the function has returned, in every run.
final class SlowThreadExit: @unchecked Sendable {
    // @unchecked: no stored state.
    static let key = "workbook.slowThreadExit"

    static func install() {
        let dictionary = Thread.current.threadDictionary
        if dictionary[key] == nil { dictionary[key] = SlowThreadExit() }
    }

    deinit { usleep(50_000) }
}

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
    /// The files read on countWords' own pool, at most maxWorkers at once.
    public static let timeline = TimelineChoice.scenario(2)

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

    /// Calls countWords; an error that one of the files' `readFile` threw coming out of it is a
    /// bad file made fatal, and said so.
    static func call(_ impl: Implementation, _ ctx: CheckContext, _ step: String, _ folder: String, _ maxWorkers: Int,
                     _ readFile: @escaping ReadFile = readWholeFile) throws -> WordCountReport {
        do {
            return try ctx.step(step) { try impl.countWords(folder, maxWorkers, readFile) }
        } catch let error as FileReadError {
            throw CheckFailure(.errors, "countWords threw the error that reading one file threw: \(error)",
                advice: "A bad file is reported in `problems`, not fatal: catch each file's error where you collect its future's result, and keep going.")
        } catch let error as PlantedError {
            throw CheckFailure(.errors, "countWords threw the error that readFile threw for one file: \(error)",
                advice: "A bad file is reported in `problems`, not fatal: catch each file's error where you collect its future's result, and keep going.")
        }
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("counts every .txt file of the folder (not of its subfolders), merges, ranks the top 10") { ctx in
                let folder = try ctx.temporaryDirectory()
                try write(texts, to: folder)
                try Data("the the the the".utf8).write(to: URL(fileURLWithPath: folder + "/notes.md"))
                try Data("the the the the".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt.bak"))
                try Data("THE THE".utf8).write(to: URL(fileURLWithPath: folder + "/LOUD.TXT"))
                try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
                try Data("the the the".utf8).write(to: URL(fileURLWithPath: folder + "/sub/deep.txt"))
                let report = try call(impl, ctx, "calling countWords(inFolder: <5 .txt files, other files, a subfolder>, maxWorkers: 2)", folder, 2)
                let expected = expectedReport(texts)
                try requireEqual(report.problems, [], .result, "these files are all readable UTF-8 text: no problems expected")
                try requireEqual(report.wordsPerFile, expected.wordsPerFile, .result,
                    "the words per file are wrong: only the names that end in \".txt\" count, in the folder itself (not in sub/); a word is a run of letters",
                    advice: "List the folder with `contentsOfDirectory(atPath:)` (it does not go into subfolders), keep `hasSuffix(\".txt\")`, and split on every character that is not a letter: `text.split(whereSeparator: { !$0.isLetter })`.")
                try requireEqual(report.totalWords, expected.totalWords, .result, "the total is wrong")
                try requireEqual(report.topWords, expected.topWords, .order,
                    "the top 10 is wrong: most frequent first, equal counts ordered by `<` on the words (\"zebra\" before \"élan\"), lowercased, at most 10",
                    advice: "`sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }`: plain `<` on String, not a locale-aware comparison.")
            },
            Scenario("unreadable and badly encoded files are reported, sorted by name, and do not stop the run") { ctx in
                let folder = try ctx.temporaryDirectory()
                try write(texts, to: folder)
                try Data([0x66, 0x6F, 0x6F, 0x20, 0xFF, 0xFE, 0x62]).write(to: URL(fileURLWithPath: folder + "/latin.txt"))
                try Data([0xC3, 0x28]).write(to: URL(fileURLWithPath: folder + "/broken.txt"))
                try FileManager.default.createDirectory(atPath: folder + "/folder.txt", withIntermediateDirectories: false)
                try FileManager.default.createSymbolicLink(atPath: folder + "/gone.txt", withDestinationPath: folder + "/nowhere/gone.txt")
                try Data("fine words".utf8).write(to: URL(fileURLWithPath: folder + "/refused.txt"))
                let refused = PlantedError("permission denied")
                let bad = ["broken.txt", "folder.txt", "gone.txt", "latin.txt", "refused.txt"]
                // The first bad file in name order is read last: problems in finishing order are
                // not sorted.
                let others = LockedValue(0)
                let report = try call(impl, ctx, "calling countWords on a folder with two non-UTF-8 files, a folder named folder.txt, a broken link gone.txt and a file readFile refuses", folder, 3) { path in
                    let name = (path as NSString).lastPathComponent
                    if name == "broken.txt" {
                        _ = ctx.eventually(timeout: 2) { others.withLock { $0 } >= 9 }
                    }
                    defer { if name != "broken.txt" { others.withLock { $0 += 1 } } }
                    if name == "refused.txt" { throw refused }
                    return try readWholeFile(path)
                }
                try requireEqual(report.problems.map(\.file).sorted(), bad, .errors,
                    "the problems must list exactly the five bad files",
                    advice: "Catch each file's error where you collect its future's result, and keep going.")
                try requireEqual(report.problems.map(\.file), bad, .order, "the problems must be sorted by file name",
                    advice: "Sort the names before you submit (then the problems come out sorted), or sort the problems at the end.")
                for name in ["latin.txt", "broken.txt"] {
                    try requireEqual(report.problems.first { $0.file == name }?.reason, "not valid UTF-8", .errors,
                        "\(name) is not UTF-8: its reason must say exactly that")
                }
                try requireEqual(report.problems.first { $0.file == "refused.txt" }?.reason, String(describing: refused), .errors,
                    "the reason for refused.txt must be the description of the error readFile threw",
                    advice: "`String(describing: error)` of the error that came out of the task.")
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
                let overlap = ctx.rendezvous("three files read at the same time", parties: 3, distinctThreads: true)
                let reads = EventLog()
                let report = try call(impl, ctx, "calling countWords(inFolder: <12 files>, maxWorkers: 3)", folder, 3) { path in
                    // The pool is countWords' own: the timeline sees the reads, not its tasks.
                    try ctx.recordWork("f" + (path as NSString).lastPathComponent.filter(\.isNumber)) {
                        try probe.measure {
                            witness.note()
                            SlowThreadExit.install()
                            reads.record((path as NSString).lastPathComponent)
                            let first = reads.all.count <= 3
                            overlap.arrive()
                            // The first three, all in flight, give a fourth reader (a pool larger
                            // than maxWorkers) a moment to show up.
                            if first { _ = ctx.eventually(timeout: 0.3) { probe.current > 3 } }
                            return try readWholeFile(path)
                        }
                    }
                }
                try require(!witness.sawNonWorker, .pool, "a file was read on the calling thread, not in a task on the pool",
                    advice: "Call readFile inside the task: reading is the slow part.")
                try requireEqual(report.totalWords, expectedReport(many).totalWords, .result, "the total is wrong")
                try requireEqual(reads.all.sorted(), many.keys.sorted(), .result, "each file must be read exactly once, with readFile")
                try require(overlap.met, .concurrency, "three files were never read at the same time with maxWorkers 3",
                    advice: "Submit every file before you wait for any result, on a pool of maxWorkers threads.")
                try require(probe.peak <= 3 && witness.threadIDs.count <= 3, .limit, "more threads read files than maxWorkers allows",
                    expected: "at most 3", actual: "\(probe.peak) at once, on \(witness.threadIDs.count) threads",
                    advice: "Create the pool with `maxWorkers: maxWorkers`.")
                try require(witness.stillAlive.isEmpty, .shutdown,
                    "the pool's threads were still alive after countWords returned: the pool was not shut down",
                    advice: "`withThreadPool(maxWorkers:) { pool in ... }` shuts the pool down, waiting, when its body ends.")
            },
            Scenario("a bigger folder: 64 files of two thousand words, on 4 workers") { ctx in
                // The first four reads meet; then the first of them goes on at once, and the other
                // three a moment later, let go by a thread that knows nothing of the first task
                // after its read: nothing orders what that task does next before what the three
                // do. ThreadSanitizer (`workbook check 14a --tsan`) then sees state that tasks
                // share without a lock, in every run.
                let folder = try ctx.temporaryDirectory()
                let firstFour = ctx.rendezvous("the first four files read at the same time", parties: 4, distinctThreads: true)
                let others = ctx.gate("three of the first four files are read a moment after the first", timeout: 2)
                let reads = LockedValue(0)
                let words = ["pool", "task", "future", "wait", "lock", "thread", "queue", "result"]
                let many = Dictionary(uniqueKeysWithValues: (0..<64).map { file in
                    ("part\(file).txt", (0..<(2000 + file)).map { words[($0 * 7 + file) % words.count] }.joined(separator: " "))
                })
                try write(many, to: folder)
                let report = try call(impl, ctx, "calling countWords(inFolder: <64 files>, maxWorkers: 4)", folder, 4) { path in
                    let read = reads.withLock { count in defer { count += 1 }; return count }
                    if read < 4 {
                        firstFour.arrive()
                        if read == 0 {
                            Thread { usleep(20_000); others.open() }.start()
                        } else {
                            others.wait()
                        }
                    }
                    return try readWholeFile(path)
                }
                others.open()
                let expected = expectedReport(many)
                try requireEqual(report.totalWords, expected.totalWords, .result, "the total is wrong")
                try requireEqual(report.wordsPerFile, expected.wordsPerFile, .result, "the words per file are wrong")
                try requireEqual(report.topWords, expected.topWords, .order, "the top words are wrong")
            },
            Scenario("an empty folder gives an empty report; a missing folder throws") { ctx in
                let folder = try ctx.temporaryDirectory()
                let empty = try call(impl, ctx, "calling countWords on an empty folder", folder, 2)
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
