import ConcurrentFutures
import SystemPlatform
import Synchronization

// The tasks that the process pool tests send to worker processes. They live in a library of
// their own because two programs need them: the `ProcessPoolWorker` executable (which
// registers them in its worker hook) and the test runner (which submits them by type).

/// Every task the test worker registers. The pool in a test is given the same list.
public let processPoolTestTasks: [any ProcessTask.Type] = [
    Square.self, Identity.self, CountPrimes.self, SleepThenReportPID.self, Fail.self, FailAt.self,
    Crash.self, PrintNoise.self, ReturnNotEncodable.self, TakeMaybeEncodable.self, EchoDouble.self, EchoText.self,
    SetGreeting.self, ReadGreeting.self, FailingInitializer.self,
    StartProgram.self, WorkerSocketIsCloseOnExec.self, MakeText.self, FloodStandardError.self,
    TakeBoundValue.self, MakeBoundValue.self,
]

/// x → x². The "hello world" of pools.
public enum Square: ProcessTask {
    public static func run(_ x: Int) -> Int { x * x }
}

/// x → x: a task that costs nothing, to measure what a call costs.
public enum Identity: ProcessTask {
    public static func run(_ x: Int) -> Int { x }
}

/// A range of numbers whose primes to count.
public struct PrimeRange: Codable, Sendable, Equatable {
    public var lower: Int
    public var upper: Int
    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }
}

/// Counts the primes in a range by trial division: real arithmetic, no memory traffic.
public enum CountPrimes: ProcessTask {
    public static func run(_ range: PrimeRange) -> Int {
        countPrimes(range)
    }
}

/// The same computation, callable in-process (for the sequential baseline).
public func countPrimes(_ range: PrimeRange) -> Int {
    var count = 0
    var candidate = max(range.lower, 2)
    while candidate < range.upper {
        var isPrime = true
        var divisor = 2
        while divisor * divisor <= candidate {
            if candidate % divisor == 0 {
                isPrime = false
                break
            }
            divisor += 1
        }
        if isPrime { count += 1 }
        candidate += 1
    }
    return count
}

/// Sleeps the given number of milliseconds, then returns the worker's pid.
public enum SleepThenReportPID: ProcessTask {
    public static func run(_ milliseconds: Int) -> Int32 {
        if milliseconds > 0 { usleep(UInt32(milliseconds * 1000)) }
        return getpid()
    }
}

/// The error the failing tasks throw: its type name and description must reach the parent.
public struct TestTaskError: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "rejected: \(reason)" }
}

/// Always throws `TestTaskError` with the given reason.
public enum Fail: ProcessTask {
    public static func run(_ reason: String) throws -> Int {
        throw TestTaskError(reason: reason)
    }
}

/// x → x, but throws for 13.
public enum FailAt: ProcessTask {
    public static func run(_ x: Int) throws -> Int {
        if x == 13 { throw TestTaskError(reason: "13 is unlucky") }
        return x
    }
}

/// The ways a worker can die.
public enum CrashKind: Codable, Sendable {
    case fatalError(String)
    case exit(Int32)
    case exitAfterSleeping(milliseconds: Int, status: Int32)
    case signal(Int32)
}

/// Ends the worker process: `fatalError`, `exit(status)`, or a signal sent to itself.
public enum Crash: ProcessTask {
    public static func run(_ kind: CrashKind) -> Int {
        switch kind {
        case .fatalError(let message):
            fatalError(message)
        case .exit(let status):
            exit(status)
        case .exitAfterSleeping(let milliseconds, let status):
            usleep(UInt32(milliseconds * 1000))
            exit(status)
        case .signal(let signal):
            kill(getpid(), signal)
            sleep(10)  // not reached: the signal ends the process
            return 0
        }
    }
}

/// Prints junk to standard output and standard error (including bytes that look like a frame
/// header), then returns its input reversed. The protocol must not notice.
public enum PrintNoise: ProcessTask {
    public static func run(_ text: String) -> String {
        print("stray print from a task: \u{0}\u{0}\u{0}\u{5}\u{1}garbage")
        print(String(repeating: "x", count: 10_000))
        let line = Array("stray line on standard error\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        return String(text.reversed())
    }
}

/// A value that may refuse to be encoded, like a Python object that cannot be pickled (a
/// lock, an open file).
public struct MaybeEncodable: Codable, Sendable {
    public var refuses: Bool
    public init(refuses: Bool) { self.refuses = refuses }
    public init(from decoder: any Decoder) throws {
        refuses = try decoder.singleValueContainer().decode(Bool.self)
    }
    public func encode(to encoder: any Encoder) throws {
        if refuses {
            throw EncodingError.invalidValue(self, EncodingError.Context(
                codingPath: encoder.codingPath, debugDescription: "this value cannot leave its process"))
        }
        var container = encoder.singleValueContainer()
        try container.encode(refuses)
    }
}

/// Returns a value that cannot be encoded: the worker must report it, not die.
public enum ReturnNotEncodable: ProcessTask {
    public static func run(_ x: Int) -> MaybeEncodable { MaybeEncodable(refuses: true) }
}

/// Takes a value that may not be encodable: the parent must refuse to send it.
public enum TakeMaybeEncodable: ProcessTask {
    public static func run(_ value: MaybeEncodable) -> Bool { value.refuses }
}

/// Returns its input: Double values, including NaN and infinities, must cross intact.
public enum EchoDouble: ProcessTask {
    public static func run(_ x: Double) -> Double { x }
}

/// Returns its input: large payloads both ways.
public enum EchoText: ProcessTask {
    public static func run(_ text: String) -> String { text }
}

/// What the initializer stored in this worker, and how many times it ran here.
private let greeting = Mutex<(text: String?, initializations: Int)>((nil, 0))

/// An initializer: stores a greeting in the worker's memory.
public enum SetGreeting: ProcessTask {
    public static func run(_ text: String) -> Bool {
        greeting.withLock { $0 = (text, $0.initializations + 1) }
        return true
    }
}

/// What the initializer left in this worker: "<greeting> #<times initialized> from <pid>".
public enum ReadGreeting: ProcessTask {
    public static func run(_ unused: Int) -> String {
        let (text, count) = greeting.withLock { $0 }
        return "\(text ?? "nil") #\(count) from \(getpid())"
    }
}

/// An initializer that always throws.
public enum FailingInitializer: ProcessTask {
    public static func run(_ reason: String) throws -> Bool {
        throw TestTaskError(reason: reason)
    }
}

/// A task that is deliberately missing from `processPoolTestTasks`.
public enum NotRegistered: ProcessTask {
    public static func run(_ x: Int) -> Int { x }
}

/// A program for a task to start: `/bin/sh -c "sleep <seconds>"`.
public struct ProgramStart: Codable, Sendable {
    public var seconds: Int
    /// Hand the program a copy of the worker's socket on purpose (as its descriptor 3). Without
    /// this, the program gets descriptors 0 to 3 of the worker as they are: the way a careless
    /// spawner passes on every descriptor that is not close-on-exec.
    public var handsOverTheSocket: Bool
    public init(seconds: Int, handsOverTheSocket: Bool) {
        self.seconds = seconds
        self.handsOverTheSocket = handsOverTheSocket
    }
}

/// Starts a program that outlives the task (a grandchild of the pool's process) and returns
/// its pid; the test kills it when it is done.
public enum StartProgram: ProcessTask {
    public static func run(_ start: ProgramStart) throws -> Int32 {
        var descriptors: [ChildDescriptor] = [.inherited, .inherited, .inherited, .inherited]
        var copy: Int32 = -1
        if start.handsOverTheSocket {
            copy = dup(3)  // a copy without close-on-exec
            descriptors[3] = .copy(of: copy)
        }
        defer { if copy >= 0 { close(copy) } }
        return try spawnProcess(
            executable: "/bin/sh", arguments: ["sh", "-c", "sleep \(start.seconds)"],
            environment: currentEnvironment(), descriptors: descriptors
        ).get()
    }
}

/// Whether the worker's socket (descriptor 3) is close-on-exec, so that programs started by
/// its tasks do not inherit it.
public enum WorkerSocketIsCloseOnExec: ProcessTask {
    public static func run(_ unused: Int) -> Bool {
        fcntl(3, F_GETFD) & FD_CLOEXEC != 0
    }
}

/// n → a text of n letters: a small input, a large output.
public enum MakeText: ProcessTask {
    public static func run(_ count: Int) -> String { String(repeating: "z", count: count) }
}

/// Writes `count` bytes to standard error, in lines of 100, and returns `count`.
public enum FloodStandardError: ProcessTask {
    public static func run(_ count: Int) -> Int {
        let line = Array(String(repeating: "e", count: 99).utf8) + [UInt8(ascii: "\n")]
        var written = 0
        while written < count {
            let chunk = line.prefix(count - written)
            let result = chunk.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if result > 0 { written += result } else if errno != EINTR { break }
        }
        return written
    }
}

/// A value that can only be decoded in the process that made it: the worker cannot decode one
/// made by the parent, nor the parent one made by a worker. (Like a Python object whose
/// unpickling fails in the other process.)
public struct BoundToItsProcess: Codable, Sendable {
    public let pid: Int32
    public init() { pid = getpid() }
    public init(from decoder: any Decoder) throws {
        pid = try decoder.singleValueContainer().decode(Int32.self)
        guard pid == getpid() else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "made in process \(pid), it can only be decoded there, not in \(getpid())"))
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pid)
    }
}

/// Takes a value bound to the parent: decoding the input fails in the worker.
public enum TakeBoundValue: ProcessTask {
    public static func run(_ value: BoundToItsProcess) -> Bool { true }
}

/// Returns a value bound to the worker: decoding the output fails in the parent.
public enum MakeBoundValue: ProcessTask {
    public static func run(_ unused: Int) -> BoundToItsProcess { BoundToItsProcess() }
}
