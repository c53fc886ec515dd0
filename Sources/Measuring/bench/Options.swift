/// The command line of `bench`.
struct Options {
    var quick = false
    var json = false
    /// `--suite NAME`, repeatable; empty means every suite.
    var suites: [String] = []
    /// `--rounds N`: overrides the number of alternating rounds (3 quick, 5 full).
    var rounds: Int?
    /// `--workers N`: the pool size of the trivial-task suites (submit, map, asCompleted, wait,
    /// latency, observer). The `scaling` suite goes through 1, 2, 4, ... cores on its own.
    var workers = 2
    var help = false

    /// A bad command line: the message for the one-line error.
    struct Problem: Error {
        var message: String
    }

    init(_ arguments: [String]) throws(Problem) {
        let names = allSuites.map { $0.name }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick": quick = true
            case "--json": json = true
            case "--help", "-h": help = true
            case "--suite":
                guard let name = remaining.popFirst() else { throw Problem(message: "--suite needs a suite name") }
                guard names.contains(name) else {
                    throw Problem(message: "unknown suite '\(name)' (suites: \(names.joined(separator: ", ")))")
                }
                suites.append(name)
            case "--workers":
                guard let value = remaining.popFirst(), let count = Int(value), count >= 1 else {
                    throw Problem(message: "--workers needs a whole number of at least 1")
                }
                workers = count
            case "--rounds":
                guard let value = remaining.popFirst(), let count = Int(value), count >= 1 else {
                    throw Problem(message: "--rounds needs a whole number of at least 1")
                }
                rounds = count
            default:
                throw Problem(message: "unknown option '\(argument)'")
            }
        }
    }

    static var usage: String {
        "usage: bench [--quick] [--suite NAME]... [--rounds N] [--workers N] [--json] [--help]"
    }

    static var help: String {
        let width = allSuites.map { $0.name.count }.max() ?? 0
        let suites = allSuites.map { "  " + $0.name.padded(width) + "  " + $0.summary }.joined(separator: "\n")
        return """
            \(usage)

            Measures the ConcurrentFutures thread and process pools against GCD, Swift task groups and
            CPython's concurrent.futures on the same workloads, and checks the targets of issue #6.
            Build and run it in release mode:  swift run -c release bench

              --quick        smaller workloads, 3 rounds: about a minute
              --suite NAME   run only this suite (repeatable)
              --rounds N     alternating rounds per suite (default 3 with --quick, 5 otherwise)
              --workers N    workers of the pools in the trivial-task suites (default 2); the
                             scaling suite tries 1, 2, 4, ... up to the cores by itself
              --json         after the table, print every row and target as a JSON object per line

            Suites:
            \(suites)

            Each suite warms every program up, then runs them in alternating rounds and reports the
            median with the min–max of the rounds. Ratios say how many times faster a row is than a
            peer, computed round by round. CPython peers need python3 on PATH and the scripts in
            Sources/Measuring/bench/python (found next to the bench's sources); without them they are
            skipped.
            """
    }
}
