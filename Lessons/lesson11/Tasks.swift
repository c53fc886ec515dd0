// The tasks worker processes can run. A worker is a fresh start of this program that stops at
// the entry-point guard in main.swift, so everything a worker needs is declared here, outside
// the lesson's own top-level code, which never runs in a worker.

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // malloc, memset, getpid

// snippet: count-primes-task
/// The prime counting of `countPrimes(in:)`, registered under the name "CountPrimes". Its
/// input, a `Range<Int>`, is `Codable`: it travels to the worker as bytes.
enum CountPrimes: ProcessTask {
    static func run(_ range: Range<Int>) -> Int { countPrimes(in: range) }
}
// snippet end

/// x → x²: a task far too small to be worth a message.
enum Square: ProcessTask {
    static func run(_ x: Int) -> Int { x * x }
}

/// Downloads a page and returns its size: I/O-bound work, for section 9.
enum FetchSize: ProcessTask {
    static func run(_ url: String) throws -> Int { try fetch(url).body.count }
}

/// A task that crashes its worker, the way a bug does: a failed precondition, a force-unwrapped
/// nil, an index out of range. Here: `fatalError`.
enum ParseCorruptRecord: ProcessTask {
    static func run(_ record: String) -> Int {
        guard let number = Int(record) else { fatalError("corrupt record: \(record)") }
        return number
    }
}

/// What a worker reports about itself.
struct WorkerReport: Codable, Sendable {
    var pid: Int32
    var residentMegabytes: Int
}

/// State that lives in one worker process: the addresses of blocks a buggy task never frees.
enum WorkerMemory {
    static let leakedBlocks = LockedValue<[UInt]>([])
}

/// A leaky task: "parses" a file by loading `megabytes` of it into memory it never frees.
enum LeakyParse: ProcessTask {
    static func run(_ megabytes: Int) -> WorkerReport {
        let size = megabytes << 20
        if let block = malloc(size) {
            memset(block, 1, size)  // touch every page, so it really takes memory
            WorkerMemory.leakedBlocks.withLock { $0.append(UInt(bitPattern: block)) }
        }
        return WorkerReport(pid: getpid(), residentMegabytes: residentMemoryBytes() >> 20)
    }
}

/// An open file: meaningful in this process only. Encoding it fails, as pickling a file object
/// fails in Python.
struct OpenFile: Codable, Sendable {
    var descriptor: Int32
    init(descriptor: Int32) { self.descriptor = descriptor }
    init(from decoder: any Decoder) throws {
        descriptor = try decoder.singleValueContainer().decode(Int32.self)
    }
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, EncodingError.Context(
            codingPath: encoder.codingPath,
            debugDescription: "an open file descriptor means nothing in another process"))
    }
}

/// Registered, but its input can never be sent.
enum ReadOpenFile: ProcessTask {
    static func run(_ file: OpenFile) -> Int { 0 }
}

/// Not in the list below: a pool cannot run it.
enum Unlisted: ProcessTask {
    static func run(_ x: Int) -> Int { x }
}

// snippet: task-list
/// Every task this program's workers can run: given to the guard and to every pool.
let lessonTasks: [any ProcessTask.Type] = [
    CountPrimes.self, Square.self, FetchSize.self,
    ParseCorruptRecord.self, LeakyParse.self, ReadOpenFile.self,
]
// snippet end
