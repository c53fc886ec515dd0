import ConcurrentFutures
import SystemPlatform

// Exercise 14a, The concurrent word counter.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

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
