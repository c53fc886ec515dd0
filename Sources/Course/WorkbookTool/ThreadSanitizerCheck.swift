import Foundation
import WorkbookCourse

// `swift run workbook check 06a --tsan`: the same check, built with ThreadSanitizer.
//
// A data race (two threads using one variable at the same time, at least one of them writing,
// with no lock between them) may lose an update only once in a thousand runs, so a check that
// counts can pass by luck. ThreadSanitizer watches every memory access of the running program
// and reports two accesses that no lock orders, whether or not they happened to collide this
// time: the race is found in the first run. The build goes to a scratch folder of its own
// (.build-tsan, the one CI's sanitized test run uses), so the usual build is left alone.

extension Session {
    /// Builds the exercise's runner with ThreadSanitizer, runs it, and turns every race report
    /// into a failure that names the lines of the exercise involved. Progress is not recorded.
    func checkWithThreadSanitizer(_ exercise: Exercise) throws -> Int32 {
        print(style.bold("\(exercise.id) \(exercise.title)") + style.dim("   built with ThreadSanitizer (.build-tsan; the first build takes a few minutes)"))
        print(style.dim("   \(exercise.exercisePath)"))
        let scratch = workspace.root + "/.build-tsan"
        let sanitized = Workspace(
            root: workspace.root, scratchPath: scratch, configuration: "debug",
            productsDirectory: scratch + "/debug", progressFile: workspace.progressFile)
        let outcome = try Checker(workspace: sanitized, buildArguments: ["--sanitize=thread"],
                                  runnerArguments: TimelineCheck.drawingArguments(style)).check(exercise)
        guard case .ran(let summary, let crash, let printed) = outcome else {
            print(render(outcome, for: exercise))
            return 1
        }
        let races = ThreadSanitizerReport.races(in: printed, exercise: exercise, root: workspace.root).map { race in
            ThreadSanitizerReport.Race(accesses: race.accesses.map(demangled))
        }
        print(Feedback.render(summary, style: style))
        print("")
        if races.isEmpty {
            if crash == nil && summary.allPassed {
                print(style.green("✓ \(exercise.id): ThreadSanitizer saw no data race in \(summary.scenarios.count) scenarios, and every check passes."))
                return 0
            }
            if printed.contains("ThreadSanitizer: SEGV") || printed.contains("ThreadSanitizer:DEADLYSIGNAL") {
                print(style.red("✗ \(exercise.id): the program crashed with a bad memory access before ThreadSanitizer could report a race."))
                print(style.wrap("Two threads changing one collection (an array, a dictionary) at once can break it this way: "
                    + "look for shared state that tasks change without a lock.", indent: "  ", firstIndent: "  "))
                return 1
            }
            print(style.dim("ThreadSanitizer saw no data race."))
            print(crash.map { style.red("Crashed: ") + $0 } ?? style.red("✗ \(exercise.id): a check fails (details above)."))
            return 1
        }
        print(style.red("✗ \(exercise.id): ThreadSanitizer found \(races.count) data race\(races.count == 1 ? "" : "s"):"))
        for (number, race) in races.prefix(5).enumerated() {
            print(style.wrap("\(number + 1). " + race.description, indent: "     ", firstIndent: "  "))
        }
        if races.count > 5 { print("  (and \(races.count - 5) more)") }
        print(style.wrap(style.cyan("→ ") + "Two threads used the same variable at the same time, at least one of them writing, "
            + "and no lock ordered them. Keep that state in a `LockedValue` and read or change it only inside "
            + "`withLock { ... }` (one call for the whole change), or leave it to the thread that owns it.",
            indent: "    ", firstIndent: "  "))
        return 1
    }
}

/// `text` with every Swift symbol name in it ("$s11Exercise06a...") made readable by
/// `swift demangle`; as it is if that fails.
func demangled(_ text: String) -> String {
    let symbols = text.matches(of: /\$s[0-9A-Za-z_$]+/).map { String($0.output) }
    guard !symbols.isEmpty, let swift = try? swiftExecutable(),
          let finished = try? runProgram(swift, ["demangle", "--simplified", "--compact"] + symbols,
                                         directory: FileManager.default.currentDirectoryPath, timeout: 20),
          finished.status == 0 else { return text }
    let names = finished.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard names.count >= symbols.count else { return text }
    var result = text
    for (symbol, name) in zip(symbols, names) { result = result.replacingOccurrences(of: symbol, with: name) }
    return result
}

/// The data races in what a program built with ThreadSanitizer printed.
struct ThreadSanitizerReport {
    /// One race: the two accesses, each as "write at ProgressCounter.swift:41 (in ...)".
    struct Race: Equatable, CustomStringConvertible {
        var accesses: [String]
        var description: String {
            accesses.count < 2 ? accesses.joined() : accesses[0] + ", racing with the " + accesses[1...].joined(separator: ", and the ")
        }
    }

    /// The distinct races that ThreadSanitizer reported. Each access is placed at the first
    /// line of the exercise file on its stack (else at the first frame with a source line).
    static func races(in output: String, exercise: Exercise, root: String) -> [Race] {
        var races: [Race] = []
        for report in output.components(separatedBy: "WARNING: ThreadSanitizer:").dropFirst() {
            let lines = report.split(separator: "\n").map(String.init)
            var accesses: [String] = []
            var index = 0
            while index < lines.count {
                let line = lines[index].trimmingCharacters(in: .whitespaces)
                index += 1
                guard let kind = accessKind(line) else { continue }
                var frames: [String] = []
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                    frames.append(lines[index])
                    index += 1
                }
                let place = frames.lazy.compactMap { sourceLocation($0, root: root, preferring: exercise.exercisePath) }.first
                    ?? frames.lazy.compactMap { sourceLocation($0, root: root, preferring: nil) }.first
                accesses.append("\(kind) at \(place ?? "an unknown place")")
            }
            let race = Race(accesses: accesses.isEmpty ? ["a race (\(lines.first ?? ""))"] : accesses)
            if !races.contains(race) { races.append(race) }
        }
        return races
    }

    /// "write" / "earlier change" for "Write of size 8 at 0x... by thread T3:" / "Previous
    /// modifying access of Swift variable at 0x... by thread T7:"; `nil` for other lines.
    static func accessKind(_ line: String) -> String? {
        // Not "Location is heap block of size 64 at 0x... allocated by ...:", which says where
        // the memory came from.
        guard line.hasSuffix(":"), !line.hasPrefix("Location"), let address = line.range(of: " at 0x") else { return nil }
        var kind = String(line[..<address.lowerBound]).lowercased()
            .replacing(/\s+of size \d+/, with: "")
            .replacing("modifying access of swift variable", with: "change")
            .replacing("read-only access of swift variable", with: "read")
        if kind.hasPrefix("previous ") { kind = "earlier " + kind.dropFirst("previous ".count) }
        return kind
    }

    /// "ProgressCounter.swift:41 in closure #1 in ProgressCounter.track<A>(_:)" from a frame
    /// "#0 closure #1 in ProgressCounter.track<A>(_:) /root/Exercises/.../ProgressCounter.swift:41:17 (check-06a+0x1234)".
    /// Only frames in `preferring` when it is given; only frames with a source file otherwise.
    static func sourceLocation(_ frame: String, root: String, preferring path: String?) -> String? {
        guard let match = frame.firstMatch(of: /#\d+ (?<function>.*?) (?<file>\/[^ ]+\.swift)(:(?<line>\d+))?/) else { return nil }
        let file = String(match.file)
        if let path, !file.hasSuffix("/" + path) { return nil }
        let shown = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : (file as NSString).lastPathComponent
        return shown + (match.line.map { ":\($0)" } ?? "") + " in \(match.function)"
    }
}
