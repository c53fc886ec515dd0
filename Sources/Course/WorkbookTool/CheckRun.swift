import Foundation
import SystemPlatform
import WorkbookCourse

/// A program run to its end (or killed at its deadline), with what it printed.
struct Finished {
    var status: Int32
    /// The signal that ended it, if one did.
    var signal: Int32?
    var output: String
    var killedAtDeadline = false
    var seconds: Double
}

/// Runs `executable` with `arguments`, standard output and error into one temporary file
/// (no pipe to fill up), killing it if it runs past `timeout` seconds.
func runProgram(_ executable: String, _ arguments: [String], directory: String, timeout: Double,
                environment: [String: String]? = nil) throws -> Finished {
    let outputPath = NSTemporaryDirectory() + "workbook-\(getpid())-\(UUID().uuidString.prefix(8)).out"
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    if let environment { process.environment = environment }
    let started = Date()
    try process.run()
    var killed = false
    while process.isRunning {
        if Date().timeIntervalSince(started) > timeout {
            kill(process.processIdentifier, SIGKILL)
            killed = true
            break
        }
        usleep(10_000)
    }
    process.waitUntilExit()
    try? output.close()
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let bySignal = process.terminationReason == .uncaughtSignal
    return Finished(
        status: process.terminationStatus, signal: bySignal ? process.terminationStatus : nil,
        output: text, killedAtDeadline: killed, seconds: Date().timeIntervalSince(started))
}

/// The `swift` program: WORKBOOK_SWIFT, or the first `swift` on the PATH.
func swiftExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    if let chosen = environment["WORKBOOK_SWIFT"] { return chosen }
    for directory in (environment["PATH"] ?? "").split(separator: ":") {
        let candidate = "\(directory)/swift"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    throw InputError("cannot find `swift` on the PATH")
}

/// How one check went, from building to the last scenario.
enum CheckOutcome {
    /// The exercise did not compile: the compiler's messages about it.
    case doesNotCompile(diagnostics: String)
    /// The runner ran; it may have crashed or been killed on the way.
    case ran(summary: CheckSummary, crash: String?, printed: String)

    var passed: Bool {
        if case .ran(let summary, let crash, _) = self { return crash == nil && summary.allPassed }
        return false
    }

    /// The title of the first property that failed, for the progress file.
    var failedProperty: String? {
        switch self {
        case .doesNotCompile: "does not compile"
        case .ran(let summary, let crash, _):
            crash != nil ? "crash" : summary.firstProblem?.property?.title
        }
    }
}

/// Builds an exercise's runner and runs it.
struct Checker {
    let workspace: Workspace
    /// More `swift build` arguments, such as `--sanitize=thread` (ThreadSanitizerCheck.swift).
    var buildArguments: [String] = []
    /// More arguments for the runner: how to draw a failure's timeline (`--color`, `--width`),
    /// where to write the timeline scenario's (`--timeline FILE`, TimelineCheck.swift).
    var runnerArguments: [String] = []

    /// `swift build --product check-05a`: compiles the exercise and nothing it does not need.
    func build(_ exercise: Exercise) throws -> (ok: Bool, diagnostics: String, seconds: Double) {
        let finished = try runProgram(try swiftExecutable(), [
            "build", "--package-path", workspace.root, "--scratch-path", workspace.scratchPath,
            "--configuration", workspace.configuration, "--product", exercise.runner,
        ] + buildArguments, directory: workspace.root, timeout: 600)
        return (finished.status == 0 && finished.signal == nil, finished.output, finished.seconds)
    }

    func check(_ exercise: Exercise) throws -> CheckOutcome {
        let build = try build(exercise)
        guard build.ok else {
            return .doesNotCompile(diagnostics: compilerMessages(build.diagnostics, about: exercise))
        }
        let reportPath = NSTemporaryDirectory() + "workbook-report-\(getpid())-\(exercise.id).jsonl"
        defer { try? FileManager.default.removeItem(atPath: reportPath) }
        let finished = try runProgram(workspace.productsDirectory + "/" + exercise.runner, [
            "--report", reportPath, "--source", workspace.path(exercise.exercisePath),
        ] + runnerArguments, directory: workspace.root, timeout: 180)
        let events = ((try? String(contentsOfFile: reportPath, encoding: .utf8)) ?? "")
            .split(separator: "\n")
            .compactMap { try? JSONDecoder().decode(RunnerEvent.self, from: Data($0.utf8)) }
        let summary = CheckSummary(events: events)
        var crash: String?
        if finished.killedAtDeadline {
            crash = "the check program was still running after \(Int(finished.seconds)) s and was stopped"
        } else if let signal = finished.signal {
            crash = "the check program crashed (signal \(signal)\(signalName(signal)))"
        } else if events.last?.kind != .end {
            crash = "the check program ended early (exit status \(finished.status))"
        }
        return .ran(summary: summary, crash: crash, printed: finished.output)
    }

    func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL, SIGTRAP: ": a Swift runtime trap, such as fatalError, a force-unwrapped nil, an index out of range, or an arithmetic overflow"
        case SIGSEGV, SIGBUS: ": a bad memory access, often a data race (two threads changing one variable with no lock: `swift run workbook check ID --tsan` shows where)"
        case SIGABRT: ": abort"
        case SIGKILL: ": killed"
        default: ""
        }
    }

    /// The compiler's messages about the exercise file (or, if there are none, the first errors).
    func compilerMessages(_ output: String, about exercise: Exercise) -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [String] = []
        var index = 0
        func isDiagnostic(_ line: String) -> Bool {
            line.contains(": error: ") || line.contains(": warning: ")
        }
        while index < lines.count {
            let line = lines[index]
            if isDiagnostic(line) && line.hasPrefix("/") {
                var block = [line.replacingOccurrences(of: workspace.root + "/", with: "")]
                index += 1
                // The excerpt of source code that follows ("  12 |  ...").
                while index < lines.count, lines[index].contains(/^ *[0-9]* \|/) {
                    block.append(lines[index])
                    index += 1
                }
                // The compiler's notes on it, which often name the cause ("found this candidate
                // in module 'Foundation'"), each with its excerpt.
                var next = index
                while next < lines.count, lines[next].isEmpty { next += 1 }
                while next < lines.count, lines[next].contains(": note: ") {
                    block.append(lines[next].replacingOccurrences(of: workspace.root + "/", with: ""))
                    next += 1
                    while next < lines.count, lines[next].contains(/^ *[0-9]* \|/) {
                        block.append(lines[next])
                        next += 1
                    }
                    index = next
                    while next < lines.count, lines[next].isEmpty { next += 1 }
                }
                let text = block.joined(separator: "\n")
                if !blocks.contains(text) { blocks.append(text) }
            } else {
                index += 1
            }
        }
        let mine = blocks.filter { $0.hasPrefix(exercise.exercisePath) }
        let errors = (mine.isEmpty ? blocks : mine).sorted { a, b in a.contains(": error: ") && !b.contains(": error: ") }
        if errors.isEmpty {
            return lines.filter { $0.contains("error") }.prefix(10).joined(separator: "\n")
        }
        return errors.prefix(4).joined(separator: "\n") + (errors.count > 4 ? "\n(and \(errors.count - 4) more)" : "")
    }
}

/// What a crashed runner's output says: Swift's own message ("Fatal error: Index out of
/// range"), the places in the exercise on the way to the crash, and what the program printed
/// before it (the backtrace that follows is for debuggers, not for this screen).
struct CrashReport {
    var message: String?
    var framesInExercise: [String] = []
    var printedBeforeCrash: [String] = []

    init(output: [String], exercise: Exercise, root: String) {
        var beforeBacktrace = true
        for line in output {
            if line.hasPrefix("*** ") { beforeBacktrace = false }
            if message == nil, let range = line.range(of: "Fatal error: ") {
                message = "Fatal error: " + line[range.upperBound...]
                continue
            }
            if beforeBacktrace {
                printedBeforeCrash.append(line)
            } else if line.contains("/" + exercise.exercisePath + ":"), framesInExercise.count < 3,
                      let atRange = line.range(of: " at ", options: .backwards) {
                // "  3 [ra]  0x... fetchBoth(_:_:on:fetch:) + 254 in check-02a at /root/Exercises/...:27:17"
                let location = line[atRange.upperBound...].replacingOccurrences(of: root + "/", with: "")
                var function = String(line[..<atRange.lowerBound])
                if let address = function.range(of: "0x[0-9a-f]+ ", options: .regularExpression) {
                    function = String(function[address.upperBound...])
                }
                if let plus = function.range(of: " + ", options: .backwards) { function = String(function[..<plus.lowerBound]) }
                framesInExercise.append("in \(function) at \(location)")
            }
        }
    }
}
