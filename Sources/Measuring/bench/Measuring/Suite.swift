import SystemPlatform

/// One benchmark suite: a workload run by our library and by its peers. Each suite is one file
/// in `Sources/Measuring/bench/Suites`; `allSuites` lists them in the order they run.
protocol BenchSuite {
    /// The name `--suite` takes: "submit".
    static var name: String { get }
    /// One line for `--help`.
    static var summary: String { get }
    /// Measures, and returns the suite's rows.
    static func run(_ context: BenchContext) throws -> SuiteReport
}

/// Every suite, in the order a full run goes through them.
var allSuites: [any BenchSuite.Type] {
    [
        SubmitSuite.self, ObserverSuite.self, MapSuite.self, AsCompletedSuite.self, LatencySuite.self,
        WaitSuite.self, IOSuite.self, CPUSuite.self, ProcessPoolSuite.self, WordCountSuite.self, ScalingSuite.self,
    ]
}

/// What a suite hands back: a titled group of rows and the notes that explain them.
struct SuiteReport {
    var suite: String
    /// The heading of its part of the table: what the workload is.
    var title: String
    var rows: [Row]
    /// Printed under the rows: scaled-down peers, how ratios are meant, ...
    var notes: [String] = []
}

/// What every suite needs from the run: its size, the Python peers, a progress line.
final class BenchContext {
    /// `--quick`: smaller workloads and fewer rounds, about a minute for everything.
    let quick: Bool
    /// How many alternating rounds each suite measures.
    let rounds: Int
    /// The pool size of the trivial-task suites (`--workers`, default 2).
    let workers: Int
    let python: PythonPeers

    init(quick: Bool, rounds: Int, workers: Int, python: PythonPeers) {
        self.quick = quick
        self.rounds = rounds
        self.workers = workers
        self.python = python
    }

    /// `quick` in a `--quick` run, `full` otherwise.
    func size<T>(quick: T, full: T) -> T { self.quick ? quick : full }

    /// Shows what is being measured on standard error (on one updating line in a terminal),
    /// so that a long run does not look stuck and standard output stays clean for the table.
    func progress(_ message: String) {
        let line = isatty(2) != 0 ? "\r\u{1B}[Kbench: \(message)" : "bench: \(message)\n"
        writeToStandardError(line)
    }

    /// Clears the progress line in a terminal.
    func clearProgress() {
        if isatty(2) != 0 { writeToStandardError("\r\u{1B}[K") }
    }
}

/// Writes `text` to standard error, unbuffered. (`fputs(_, stderr)` would need the C global
/// `stderr`, which Swift 6 treats as shared mutable state.)
func writeToStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}
