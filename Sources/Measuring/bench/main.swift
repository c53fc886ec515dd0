// `swift run -c release bench`: how fast the pools are, next to their peers.
//
//   swift run -c release bench                   every suite, 5 rounds (a few minutes)
//   swift run -c release bench --quick           smaller workloads, 3 rounds (about a minute)
//   swift run -c release bench --suite submit    one suite (`--help` lists them)
//   swift run -c release bench --json            the table, then one JSON object per row
//
// Prints a table (median, min–max, unit, ratios against each peer), then the targets of
// issue #6 with PASS or FAIL. Progress goes to standard error.
import ConcurrentFutures
import SystemPlatform

// First thing: the process-pool suite starts this very program as its worker processes. In a
// worker, this call serves the pool's calls and never returns (Python: the
// `if __name__ == "__main__":` guard).
ProcessPoolExecutor.runWorkerIfRequested(tasks: benchProcessTasks)

let options: Options
do {
    options = try Options(Array(CommandLine.arguments.dropFirst()))
} catch {
    writeToStandardError("bench: \(error.message)\n\(Options.usage)\n")
    exit(2)
}
if options.help {
    print(Options.help)
    exit(0)
}

let context = BenchContext(
    quick: options.quick, rounds: options.rounds ?? (options.quick ? 3 : 5), workers: options.workers,
    python: PythonPeers.locate())
let suites = allSuites.filter { options.suites.isEmpty || options.suites.contains($0.name) }

#if DEBUG
print("Warning: a debug build. The figures mean little; run `swift run -c release bench`.")
#endif
print("bench: \(options.quick ? "quick run" : "full run"), \(context.rounds) rounds per suite, "
      + "\(availableCores()) cores; the machine is shared, so every figure is measured under load")
if let reason = context.python.unavailable { print("bench: \(reason)") }

let started = now()
var reports: [SuiteReport] = []
for suite in suites {
    do {
        reports.append(try suite.run(context))
    } catch {
        reports.append(SuiteReport(suite: suite.name, title: "failed: \(error)", rows: []))
    }
    context.clearProgress()
}

printTable(reports)
let rows = reports.flatMap(\.rows)
let targets = checkTargets(rows, suitesRun: Set(suites.map { $0.name }))
printTargets(targets)
print("")
print("bench: done in \(fixed(now() - started, decimals: 0)) s")
if options.json { printJSONLines(rows: rows, targets: targets) }

/// The cores online.
func availableCores() -> Int { sysconf(Int32(_SC_NPROCESSORS_ONLN)) }
