import ConcurrentFutures
import SystemPlatform

/// **The concurrent word counter** (the project of lesson 14): count the words of 200 files of
/// 50 KB (10 MB, generated into a temporary folder), one file per task, merge the counts, and
/// take the ten most frequent words. A word is a run of bytes between ASCII whitespace, as
/// Python's `bytes.split()` has it, so both languages count exactly the same words; every
/// Python run's top ten is checked against ours.
///
/// Programs: a sequential loop, `pool.map` over the files on 1 and 2 workers (merging as the
/// results come in, in order). Peers: CPython's plain loop, `ThreadPoolExecutor(2)` and
/// `ProcessPoolExecutor(2)` (fork) from python/word_count.py, each `Counter(data.split())` per
/// file; "CPython's fastest" is the fastest of the three in each round.
enum WordCountSuite: BenchSuite {
    static let name = "wordcount"
    static let summary = "the concurrent word counter on a generated 10 MB corpus (200 files of 50 KB), 1 and 2 workers"

    static func run(_ context: BenchContext) throws -> SuiteReport {
        context.progress("\(name): generating the corpus")
        let corpus = try Corpus.generate(files: 200, bytesPerFile: 50_000)
        defer { corpus.remove() }
        let expected = try countCorpus(corpus.paths, workers: nil).top

        let programs = [
            Program(key: "sequential", name: "sequential loop", measure: { try wordCountTime(corpus, nil, expected) }),
            Program(key: "ours-1", name: "ThreadPoolExecutor.map, 1 worker",
                    measure: { try wordCountTime(corpus, 1, expected) }),
            Program(key: "ours-2", name: "ThreadPoolExecutor.map, 2 workers",
                    measure: { try wordCountTime(corpus, 2, expected) }),
        ] + [("sequential", "loop"), ("threads", "ThreadPoolExecutor(2)"), ("processes", "ProcessPoolExecutor(2), fork")]
            .map { variant, description in
                context.python.program(
                    key: "cpython-\(variant)", name: "CPython \(description)", script: "word_count.py",
                    arguments: ["--variant", variant, "--corpus", corpus.folder, "--workers", "2"],
                    check: { check in
                        guard check == expected else {
                            throw WrongResult("CPython's top ten differ: \(check ?? "none") vs \(expected)")
                        }
                    })
            }
        // Each CPython run takes about half a second: two rounds are enough for a quick look.
        let rounds = context.quick ? min(context.rounds, 2) : context.rounds
        var measured = alternate(programs, rounds: rounds, context: context, label: name)
        let variants = ["cpython-sequential", "cpython-threads", "cpython-processes"].map { measured.series($0, "seconds") }
        measured.derive("cpython-fastest", "seconds") { round in
            let times = variants.compactMap { $0[round] }
            return times.isEmpty ? nil : times.min()
        }

        let vsSequential = Peer(key: "sequential", label: "sequential", program: "sequential")
        let vsFastestPython = Peer(key: "cpython-fastest", label: "CPython's fastest", program: "cpython-fastest")
        var rows = [
            measured.row(suite: name, program: "sequential", metric: "seconds", what: "sequential loop", unit: .seconds,
                         peers: [vsFastestPython]),
            measured.row(
                suite: name, program: "ours-1", metric: "seconds", what: "ThreadPoolExecutor.map, 1 worker", unit: .seconds,
                peers: [vsSequential, vsFastestPython]),
            measured.row(
                suite: name, program: "ours-2", metric: "seconds", what: "ThreadPoolExecutor.map, 2 workers",
                unit: .seconds,
                peers: [Peer(key: "ours-1", label: "1 worker", program: "ours-1"), vsSequential, vsFastestPython]),
        ]
        for program in programs where program.key.hasPrefix("cpython") {
            rows.append(measured.row(suite: name, program: program.key, metric: "seconds", what: program.name, unit: .seconds))
        }
        rows.append(measured.row(
            suite: name, program: "cpython-fastest", metric: "seconds", what: "CPython's fastest variant", unit: .seconds,
            note: "the fastest of the three CPython variants in each round"))
        return SuiteReport(
            suite: name,
            title: "word counter: \(corpus.paths.count) files, \(corpus.totalBytes.formatted) bytes; top ten: \(expected)",
            rows: rows)
    }
}

// MARK: - The word counter

/// Counts the words in `paths`: sequentially (`workers: nil`) or with `pool.map` on a pool of
/// `workers` threads, one file per task, merging each file's table into the total as the
/// results come in. Returns the number of words and the top ten as "word=count ..." text.
func countCorpus(_ paths: [String], workers: Int?) throws -> (words: Int, top: String) {
    let total = WordTable()
    if let workers {
        try withThreadPool(maxWorkers: workers) { pool in
            try pool.map(paths) { try WordTable.counting(file: $0) }.forEach { total.merge($0) }
        }
    } else {
        for path in paths { total.merge(try WordTable.counting(file: path)) }
    }
    return (total.totalCount, total.topTen())
}

/// The seconds of one count, and a check that its top ten is the expected one.
private func wordCountTime(_ corpus: Corpus, _ workers: Int?, _ expected: String) throws -> [String: Double] {
    // The pool is created inside the clock here (Python's variants start theirs before it):
    // starting two threads costs some 50 µs of the ~50 ms.
    let (seconds, result) = try timed { try countCorpus(corpus.paths, workers: workers) }
    guard result.top == expected else { throw WrongResult("top ten \(result.top), expected \(expected)") }
    return ["seconds": seconds]
}

/// How often each word occurs: a hash table keyed by the word's bytes.
///
/// Why not `[String: Int]`? It is the obvious choice, and it works, but it makes a `String`
/// of every word and hashes it with the standard library's seeded SipHash: measured here,
/// about 150 ns a word, three times what this table takes. For a benchmark whose point is the
/// pool, the counting itself should not be slower than it needs to be: CPython does this part
/// in C (`bytes.split`, `Counter`).
///
/// The table: open addressing with linear probing in a power-of-two array of slots; each slot
/// holds a word's hash (FNV-1a, computed while scanning the bytes), where its bytes are in
/// `text` (every distinct word's bytes, one after the other), and its count. It grows when half
/// full. Words become `String`s only for the final top ten.
///
/// `@unchecked Sendable`: a table is filled by one task on one worker thread and then handed to
/// the merging thread through the task's future (which orders the two); no two threads ever
/// use one at the same time.
final class WordTable: @unchecked Sendable {
    private struct Slot {
        var hash: UInt64 = 0
        var start: Int = 0
        /// -1 marks an empty slot.
        var length: Int = -1
        var count: Int = 0
    }

    private var slots: UnsafeMutableBufferPointer<Slot>
    private var text: UnsafeMutableBufferPointer<UInt8>
    private var textUsed = 0
    private var distinctWords = 0
    /// Every word counted, with repetitions.
    private(set) var totalCount = 0

    init() {
        slots = .allocate(capacity: 1024)
        slots.initialize(repeating: Slot())
        text = .allocate(capacity: 16_384)
    }

    deinit {
        slots.deallocate()
        text.deallocate()
    }

    /// FNV-1a: a simple, fast hash of a byte string, updated one byte at a time.
    static let emptyHash: UInt64 = 0xCBF2_9CE4_8422_2325
    @inline(__always)
    static func hash(_ hash: UInt64, adding byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// A new table with the words of the file at `path`. A word is a run of bytes other than
    /// ASCII whitespace (space, tab, newline, vertical tab, form feed, carriage return), like
    /// Python's `bytes.split()`.
    static func counting(file path: String) throws -> WordTable {
        let table = WordTable()
        let bytes = try readFile(path)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var wordStart = 0
            var hash = emptyHash
            for index in 0..<buffer.count {
                let byte = buffer[index]
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    if index > wordStart { table.add(base + wordStart, length: index - wordStart, hash: hash, count: 1) }
                    wordStart = index + 1
                    hash = emptyHash
                } else {
                    hash = WordTable.hash(hash, adding: byte)
                }
            }
            if buffer.count > wordStart {
                table.add(base + wordStart, length: buffer.count - wordStart, hash: hash, count: 1)
            }
        }
        return table
    }

    /// Adds `count` to the word of `length` bytes at `word`, whose hash is `hash`.
    func add(_ word: UnsafePointer<UInt8>, length: Int, hash: UInt64, count: Int) {
        totalCount += count
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].length >= 0 {
            let slot = slots[index]
            if slot.hash == hash && slot.length == length && memcmp(text.baseAddress! + slot.start, word, length) == 0 {
                slots[index].count += count  // a word seen before
                return
            }
            index = (index + 1) & mask  // another word in this slot: try the next one
        }
        // A new word: keep its bytes and take the empty slot.
        if textUsed + length > text.count {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(2 * text.count, textUsed + length))
            larger.baseAddress!.update(from: text.baseAddress!, count: textUsed)
            text.deallocate()
            text = larger
        }
        (text.baseAddress! + textUsed).update(from: word, count: length)
        slots[index] = Slot(hash: hash, start: textUsed, length: length, count: count)
        textUsed += length
        distinctWords += 1
        if 2 * distinctWords > slots.count { grow() }
    }

    /// Adds every count of `other` to this table.
    func merge(_ other: WordTable) {
        for slot in other.slots where slot.length >= 0 {
            add(other.text.baseAddress! + slot.start, length: slot.length, hash: slot.hash, count: slot.count)
        }
    }

    /// The ten most frequent words, ties broken alphabetically, as "word=count word=count ...".
    func topTen() -> String {
        slots.filter { $0.length >= 0 }
            .map { (word: String(decoding: UnsafeBufferPointer(start: text.baseAddress! + $0.start, count: $0.length), as: UTF8.self), count: $0.count) }
            .sorted { ($1.count, $0.word) < ($0.count, $1.word) }
            .prefix(10)
            .map { "\($0.word)=\($0.count)" }
            .joined(separator: " ")
    }

    /// Twice the slots; every word moves to its place in the larger array.
    private func grow() {
        let old = slots
        slots = .allocate(capacity: 2 * old.count)
        slots.initialize(repeating: Slot())
        let mask = slots.count - 1
        for slot in old where slot.length >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].length >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
        old.deallocate()
    }
}

/// The whole content of a file.
func readFile(_ path: String) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw WrongResult("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw WrongResult("cannot stat \(path)") }
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
    var filled = 0
    while filled < bytes.count {
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
        if count > 0 {
            filled += count
        } else if count == 0 {
            break  // the file got shorter meanwhile
        } else if errno != EINTR {
            throw WrongResult("cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }
    bytes.removeLast(bytes.count - filled)
    return bytes
}

// MARK: - The generated corpus

/// 200 text files of made-up words in a temporary folder. The words follow Zipf's law, as
/// words of real text do: the k-th most common word occurs about 1/k as often as the first.
/// The same seed gives the same corpus on every run.
struct Corpus {
    let folder: String
    let paths: [String]
    let totalBytes: Int

    static func generate(files: Int, bytesPerFile: Int) throws -> Corpus {
        var random = SplitMix64(seed: 2024)
        let vocabulary = makeVocabulary(count: 5_000, using: &random)
        // Cumulative Zipf weights, to draw word k with probability ∝ 1/(k+1).
        var cumulative: [Double] = []
        var sum = 0.0
        for rank in vocabulary.indices {
            sum += 1 / Double(rank + 1)
            cumulative.append(sum)
        }

        let folder = "/tmp/bench-wordcount-\(getpid())"
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
            throw WrongResult("cannot create \(folder): \(String(cString: strerror(errno)))")
        }
        var paths: [String] = []
        var totalBytes = 0
        for index in 0..<files {
            var text: [UInt8] = []
            text.reserveCapacity(bytesPerFile + 200)
            while text.count < bytesPerFile {
                let wordsOnLine = 8 + Int(random.next() % 8)
                for position in 0..<wordsOnLine {
                    let draw = Double(random.next() >> 11) / Double(1 << 53) * sum
                    let rank = firstIndex(in: cumulative, atLeast: draw)
                    if position > 0 { text.append(0x20) }
                    text += vocabulary[rank]
                }
                text.append(0x0A)
            }
            let path = folder + "/file-\(index).txt"
            try writeFile(path, text)
            paths.append(path)
            totalBytes += text.count
        }
        return Corpus(folder: folder, paths: paths, totalBytes: totalBytes)
    }

    /// Deletes the files and the folder.
    func remove() {
        for path in paths { unlink(path) }
        rmdir(folder)
    }

    /// `count` distinct made-up words of 2 to 4 syllables, as bytes.
    private static func makeVocabulary(count: Int, using random: inout SplitMix64) -> [[UInt8]] {
        let syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ven", "dar", "el", "qua", "ri", "so", "tum",
                         "ba", "cor", "di", "fen", "gal"]
        var seen: Set<String> = []
        var words: [[UInt8]] = []
        while words.count < count {
            let length = 2 + Int(random.next() % 3)
            let word = (0..<length).map { _ in syllables[Int(random.next() % UInt64(syllables.count))] }.joined()
            if seen.insert(word).inserted { words.append(Array(word.utf8)) }
        }
        return words
    }

    /// The first index whose value is >= `value` (binary search in an ascending array).
    private static func firstIndex(in sorted: [Double], atLeast value: Double) -> Int {
        var low = 0, high = sorted.count - 1
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WrongResult("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw WrongResult("cannot write \(path)") }
    }
}

/// A small, fast, seedable random number generator (SplitMix64), so the corpus is the same on
/// every run. `SystemRandomNumberGenerator` cannot be seeded.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
