import ConcurrentFutures
import Foundation
import SystemPlatform

// Types that exercises return or take. They live here, not in the exercise files, because the
// checks (and the solutions) need to name them too. Each exercise's stub repeats the shape of
// the types it uses, so you do not have to come here to read them.

// MARK: 02b Receipts first, results later

/// Where a set of futures stands right now.
public struct ReceiptBoard: Sendable, Equatable, CustomStringConvertible {
    /// Not started yet (pending).
    public var waiting = 0
    /// Their task is running.
    public var running = 0
    /// Finished, with a value or an error.
    public var finished = 0
    /// Cancelled before they started.
    public var cancelled = 0

    public init(waiting: Int = 0, running: Int = 0, finished: Int = 0, cancelled: Int = 0) {
        (self.waiting, self.running, self.finished, self.cancelled) = (waiting, running, finished, cancelled)
    }

    public var description: String {
        "waiting \(waiting), running \(running), finished \(finished), cancelled \(cancelled)"
    }
}

// MARK: 05a First good answer wins

/// A replica's answer.
public struct Answer: Sendable, Equatable, CustomStringConvertible {
    public var replica: String
    public var value: Int
    public init(replica: String, value: Int) { (self.replica, self.value) = (replica, value) }
    public var description: String { "\(value) from \(replica)" }
}

/// Every replica failed: each replica's error, by replica.
public struct AllReplicasFailed: Error, CustomStringConvertible {
    public var errors: [String: any Error]
    public init(errors: [String: any Error]) { self.errors = errors }
    public var description: String {
        "AllReplicasFailed: " + errors.keys.sorted().map { "\($0): \(errors[$0]!)" }.joined(separator: "; ")
    }
}

// MARK: 05b Fail fast

/// A job failed: which one, and its error.
public struct JobFailed: Error, CustomStringConvertible {
    public var job: Int
    public var error: any Error
    public init(job: Int, error: any Error) { (self.job, self.error) = (job, error) }
    public var description: String { "JobFailed(job: \(job), error: \(error))" }
}

// MARK: 06a A progress counter fed by callbacks

/// How far a batch of tasks has come.
public struct BatchProgress: Sendable, Equatable, CustomStringConvertible {
    public var total: Int
    /// Finished with a value.
    public var succeeded = 0
    /// Finished with an error.
    public var failed = 0
    /// Cancelled before they ran.
    public var cancelled = 0
    public init(total: Int, succeeded: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        (self.total, self.succeeded, self.failed, self.cancelled) = (total, succeeded, failed, cancelled)
    }
    /// Tasks that are done, whichever way.
    public var done: Int { succeeded + failed + cancelled }
    public var description: String {
        "\(done)/\(total) done (succeeded \(succeeded), failed \(failed), cancelled \(cancelled))"
    }
}

/// What the checks need from exercise 06a's `ProgressCounter`.
public protocol ProgressTracking: AnyObject, Sendable {
    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void)
    func track<T>(_ future: Future<T>)
    var progress: BatchProgress { get }
}

// MARK: 07a Successes and failures

/// What `parseAll` found: every line in exactly one of the two lists, in input order.
public struct ParseReport: Sendable {
    public var parsed: [Parsed] = []
    public var failed: [ParseFailure] = []
    public init(parsed: [Parsed] = [], failed: [ParseFailure] = []) { (self.parsed, self.failed) = (parsed, failed) }
}

/// A line and its value.
public struct Parsed: Sendable, Equatable {
    public var line: String
    public var value: Int
    public init(line: String, value: Int) { (self.line, self.value) = (line, value) }
}

/// A line and the error its parse threw (the very error, not a copy of its text).
public struct ParseFailure: Sendable {
    public var line: String
    public var error: any Error
    public init(line: String, error: any Error) { (self.line, self.error) = (line, error) }
}

// MARK: 08a Keep what finished in time

/// What a fetch with a deadline gathered.
public struct DeadlineReport: Sendable {
    /// The pages that arrived in time, by URL.
    public var pages: [String: String] = [:]
    /// The fetches that failed in time, by URL.
    public var failures: [String: any Error] = [:]
    /// The URLs that had not finished by the deadline, in input order.
    public var late: [String] = []
    public init(pages: [String: String] = [:], failures: [String: any Error] = [:], late: [String] = []) {
        (self.pages, self.failures, self.late) = (pages, failures, late)
    }
}

// MARK: 09a Stop the search

/// Where the target was found: shard number and position in that shard.
public struct Found: Sendable, Equatable, CustomStringConvertible {
    public var shard: Int
    public var index: Int
    public init(shard: Int, index: Int) { (self.shard, self.index) = (shard, index) }
    public var description: String { "shard \(shard), index \(index)" }
}

// MARK: 10a A service that owns its pool

/// Why a service did not take a job.
public enum ServiceUnavailable: Error, CustomStringConvertible {
    /// `close()` or `abort()` was called.
    case closed
    /// A worker's warm-up failed, so the service cannot run jobs (its error).
    case broken(any Error)

    public var description: String {
        switch self {
        case .closed: "ServiceUnavailable.closed"
        case .broken(let error): "ServiceUnavailable.broken(\(error))"
        }
    }
}

/// What the checks need from exercise 10a's `ResizeService`.
public protocol ResizeServing: AnyObject, Sendable {
    init(
        name: String, maxWorkers: Int,
        warmUp: @escaping @Sendable () throws -> Void,
        resize: @escaping @Sendable (Int) throws -> Int
    ) throws
    func submit(_ image: Int) throws -> Future<Int>
    func close()
    func abort()
}

// MARK: 12b Fix the racy counter

/// Requests served and bytes sent, read together.
public struct UsageSnapshot: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    public var bytes: Int
    public init(requests: Int, bytes: Int) { (self.requests, self.bytes) = (requests, bytes) }
    public var description: String { "\(requests) requests, \(bytes) bytes" }
}

// MARK: 13a A monitored executor

/// The counts a monitored executor keeps.
public struct PoolCounts: Sendable, Equatable, CustomStringConvertible {
    /// Tasks accepted by `submit`.
    public var submitted = 0
    /// Tasks running right now.
    public var running = 0
    /// Tasks that returned a value.
    public var completed = 0
    /// Tasks that threw.
    public var failed = 0
    /// Tasks cancelled before they ran.
    public var cancelled = 0
    public init(submitted: Int = 0, running: Int = 0, completed: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        (self.submitted, self.running, self.completed, self.failed, self.cancelled) =
            (submitted, running, completed, failed, cancelled)
    }
    public var description: String {
        "submitted \(submitted), running \(running), completed \(completed), failed \(failed), cancelled \(cancelled)"
    }
}

/// What the checks need from exercise 13a's `MonitoredExecutor`.
public protocol MonitoredExecuting: Executor {
    init(wrapping base: any Executor)
    var counts: PoolCounts { get }
}

// MARK: 14a The concurrent word counter

/// The result of counting the words of a folder of text files.
public struct WordCountReport: Sendable, Equatable {
    /// Words per file name, for every file that was counted.
    public var wordsPerFile: [String: Int] = [:]
    /// All the words of all the counted files.
    public var totalWords = 0
    /// The ten most frequent words (fewer if there are fewer), most frequent first; equal
    /// counts ordered by `<` on the words (Unicode code points: "zebra" before "élan").
    public var topWords: [WordFrequency] = []
    /// The files that could not be counted, sorted by file name.
    public var problems: [FileProblem] = []
    public init(wordsPerFile: [String: Int] = [:], totalWords: Int = 0, topWords: [WordFrequency] = [], problems: [FileProblem] = []) {
        (self.wordsPerFile, self.totalWords, self.topWords, self.problems) = (wordsPerFile, totalWords, topWords, problems)
    }
}

public struct WordFrequency: Sendable, Equatable, CustomStringConvertible {
    public var word: String
    public var count: Int
    public init(word: String, count: Int) { (self.word, self.count) = (word, count) }
    public var description: String { "\(word): \(count)" }
}

/// A file that could not be counted, and why.
public struct FileProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file's name (not its whole path).
    public var file: String
    /// Why: "not valid UTF-8", or the error that reading it threw.
    public var reason: String
    public init(file: String, reason: String) { (self.file, self.reason) = (file, reason) }
    public var description: String { "\(file): \(reason)" }
}

/// A file that could not be read, and why (the operating system's words).
public struct FileReadError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot read \(path): \(reason)" }
}

/// Reads a whole file: the default way for the word counter to read.
@Sendable public func readWholeFile(_ path: String) throws -> [UInt8] {
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { throw FileReadError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            throw FileReadError(path: path, reason: String(cString: strerror(errno)))  // a folder: "Is a directory"
        }
        bytes.append(contentsOf: buffer[..<count])
    }
}

// MARK: 14b A polite link checker

/// What checking one link gave.
public struct LinkResult: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        /// The HTTP status code.
        case status(Int)
        /// The check threw: the error's description.
        case failed(String)
    }
    public var link: String
    public var outcome: Outcome
    public init(link: String, outcome: Outcome) { (self.link, self.outcome) = (link, outcome) }
    public var description: String {
        switch outcome {
        case .status(let code): "\(link) → \(code)"
        case .failed(let reason): "\(link) → failed: \(reason)"
        }
    }
}

/// The host part of a link: "http://example.org:8080/a/b" → "example.org:8080".
public func host(of link: String) -> String {
    var rest = Substring(link)
    if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
    return String(rest.prefix { $0 != "/" })
}

// MARK: 11a Primes on a process pool

/// Whether `number` is a prime, by trial division: slow on purpose, real CPU work.
public func isPrime(_ number: Int) -> Bool {
    if number < 2 { return false }
    if number < 4 { return true }
    if number % 2 == 0 { return false }
    var divisor = 3
    while divisor * divisor <= number {
        if number % divisor == 0 { return false }
        divisor += 2
    }
    return true
}

/// What the checks need from exercise 12b's `UsageStats`.
public protocol UsageRecording: AnyObject, Sendable {
    init()
    func record(bytes: Int)
    var snapshot: UsageSnapshot { get }
}
