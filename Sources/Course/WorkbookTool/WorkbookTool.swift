import Foundation
import SystemPlatform
import WorkbookCourse

/// `swift run workbook`: the learner's loop and the teacher's view.
public enum WorkbookTool {
    public static let usage = """
        usage: swift run workbook [command]

          (no command)              where you are: progress, current exercise, next step
          list [--markdown]         every lesson and exercise, with its status
          check [ID]                build and check an exercise (default: the current one)
          check all                 check every exercise you have started; exit status 0 only
                                    when every exercise of the course passes
          check [ID] --tsan         the same, built with ThreadSanitizer: finds data races
          check [ID] --timeline     the same, then a picture of what your code did in the
                                    check's main scenario: each worker's tasks, the waits, the
                                    cancellations; next to the solution's, once yours passes
          watch [ID]                check again each time you save the file; keys: type n (next),
                                    h (hint), c (check now), l (list) or q (quit), then Enter
          hint [ID]                 the next hint: a nudge, then the API, then nearly the answer
          next                      move on to the next exercise that is not done
          go ID                     make ID the current exercise
          reset ID [--yes]          put the exercise back as it was shipped (asks first; your
                                    version is kept in .workbook/backups)
          solution [ID] [--force]   show the solution, once the exercise passes
          report [--json] [--output FILE] [--name NAME]
                                    your progress, for you or (as JSON) for your teacher; the
                                    name is your login name unless --name gives another
          class DIR                 the room: one line per student from the JSON reports in DIR
                                    (files that are not reports are skipped with a warning)
          serve [--port N] [--bind ADDRESS] [--folder DIR]
                                    for the teacher: a live view of the room, fed by the
                                    learners' checks over the local network (serve --help)
          join ADDRESS CODE --name NAME
                                    join the teacher's live room: each check then sends your
                                    progress (join --leave stops it; join --help)
          dev sync [--check]        (course authors) rewrite what is derived from the course index
          help                      this text

        IDs look like 05a: lesson 05, exercise a. Your progress is kept in .workbook/ in the
        package's folder (WORKBOOK_PROGRESS=FILE keeps it elsewhere).
        Exit status: 0 done or passed, 1 failed or not done yet, 2 bad input.
        """

    public static func main() -> Never {
        exit(run(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs one command; returns the exit status. Errors and warnings go to `reportError`
    /// (standard error), each as one line.
    static func run(_ arguments: [String], reportError: (String) -> Void = printError) -> Int32 {
        do {
            let command = try Command.parse(arguments)
            if command == .help {
                print(usage)
                return 0
            }
            if case .commandHelp(let text) = command {
                print(text)
                return 0
            }
            return try execute(command, reportError: reportError)
        } catch {
            reportError("workbook: error: \(oneLine(error))")
            return error is UsageError || error is InputError ? 2 : 1
        }
    }

    static func execute(_ command: Command, reportError: (String) -> Void) throws -> Int32 {
        if case .classroom(let directory) = command {
            // The teacher's view reads the reports handed in, not this checkout's progress.
            let folder = try ClassFolder.read(directory)
            print(ClassReport(folder: folder).rendered(style: Terminal.style()))
            // After the view, so that they are on screen when it ends, not scrolled away.
            fflush(nil)
            for skipped in folder.skipped { reportError("workbook: warning: skipped \(skipped)") }
            return 0
        }
        if case .serve(let options) = command { return try serve(options) }
        let workspace = try Workspace.locate()
        if workspace.usesDefaultProgressFile, let note = try workspace.moveLegacyProgress() { reportError(note) }
        ShippedStubCopies.prepare(workspace)
        var store = try ProgressStore(workspace: workspace)
        let style = Terminal.style()
        var session = Session(workspace: workspace, store: store, style: style)
        session.room = RoomMembership.load(from: workspace).map { ReportSender(membership: $0) }
        defer { store = session.store }
        switch command {
        case .help, .commandHelp, .classroom, .serve: return 0  // handled before
        case .room(let room): return try Self.room(room, workspace: workspace, store: session.store, style: style)
        case .status: session.printStatus()
        case .list(let markdown): markdown ? print(markdownTable()) : session.printList()
        case .check(.current): return try session.check(session.store.current)
        case .check(.one(let id)): return try session.check(Course.exercise(id)!)
        case .check(.all): return try session.checkAll()
        case .checkWithThreadSanitizer(let id): return try session.checkWithThreadSanitizer(id.flatMap(Course.exercise) ?? session.store.current)
        case .checkWithTimeline(let id): return try session.check(id.flatMap(Course.exercise) ?? session.store.current, timeline: true)
        case .watch(let id): try session.watch(id.flatMap(Course.exercise) ?? session.store.current)
        case .hint(let id): try session.hint(id.flatMap(Course.exercise) ?? session.store.current)
        case .next: try session.moveToNext()
        case .go(let id): try session.go(to: Course.exercise(id)!)
        case .reset(let id, let yes): return try session.reset(Course.exercise(id)!, confirmed: yes)
        case .solution(let id, let force): return session.showSolution(id.flatMap(Course.exercise) ?? session.store.current, force: force)
        case .report(let json, let output, let name):
            let report = LearnerReport(store: session.store, name: name ?? defaultLearnerName())
            if json {
                let data = try JSONEncoder.workbook.encode(report)
                if let output {
                    try writeFile(data, to: output)
                    print("Wrote \(output) (the report of \(report.learner)): hand it to your teacher.")
                } else {
                    print(String(decoding: data, as: UTF8.self))
                }
            } else {
                print(report.rendered(style: style))
            }
        case .devSync(let checkOnly): return try DevSync.run(root: workspace.root, checkOnly: checkOnly)
        }
        return 0
    }

    /// The name a report carries without `--name`: WORKBOOK_NAME if set, else the login name
    /// (from the user database, so it is there even where USER is not set, as in a container).
    static func defaultLearnerName(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        loginName: String = ProcessInfo.processInfo.userName
    ) -> String {
        for candidate in [environment["WORKBOOK_NAME"], loginName, environment["USER"], environment["LOGNAME"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        }
        return "learner"
    }

    /// Writes `data` to `path`, or throws one line that names the path and the reason.
    static func writeFile(_ data: Data, to path: String) throws {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw InputError("cannot write \(path): it is a folder; give a file name, such as \(path)/me.json")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            if !files.fileExists(atPath: folder, isDirectory: &isFolder) {
                throw InputError("cannot write \(path): the folder \(folder) does not exist")
            }
            if !isFolder.boolValue { throw InputError("cannot write \(path): \(folder) is a file, not a folder") }
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError("cannot write \(path): \(fileSystemReason(error) ?? "\(error)")")
        }
    }

    /// The exercise table of README.md.
    static func markdownTable() -> String {
        var lines = ["| id | exercise | lesson | what you do |", "|---|---|---|---|"]
        for exercise in Course.exercises {
            let lesson = Course.lesson(exercise.lesson).map { "\(twoDigitNumber($0.number)) \($0.title)" } ?? ""
            lines.append("| \(exercise.id) | \(exercise.title) | \(lesson) | \(exercise.task) |")
        }
        return lines.joined(separator: "\n")
    }
}

func twoDigitNumber(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

/// A command line, parsed.
enum Command: Equatable {
    enum Target: Equatable { case current, one(String), all }

    case status
    case list(markdown: Bool)
    case check(Target)
    case checkWithThreadSanitizer(String?)
    case checkWithTimeline(String?)
    case watch(String?)
    case hint(String?)
    case next
    case go(String)
    case reset(String, yes: Bool)
    case solution(String?, force: Bool)
    case report(json: Bool, output: String?, name: String?)
    case classroom(String)
    case serve(ServeOptions)
    case room(RoomCommand)
    case devSync(check: Bool)
    case help
    /// The `--help` of one command (serve, join): its text.
    case commandHelp(String)

    static func parse(_ arguments: [String]) throws -> Command {
        guard let name = arguments.first else { return .status }
        var rest = Array(arguments.dropFirst())
        /// Removes `--flag` from `rest`; true if it was there.
        func flag(_ flag: String) -> Bool {
            guard let position = rest.firstIndex(of: flag) else { return false }
            rest.remove(at: position)
            return true
        }
        /// Removes `--option VALUE` from `rest`; the value.
        func option(_ option: String) throws -> String? {
            guard let position = rest.firstIndex(of: option) else { return nil }
            guard position + 1 < rest.count, !rest[position + 1].hasPrefix("--") else {
                throw UsageError("\(option) needs a value")
            }
            defer { rest.removeSubrange(position...(position + 1)) }
            return rest[position + 1]
        }
        /// The remaining words: at most `maximum` of them, and no unknown options.
        func words(_ maximum: Int) throws -> [String] {
            if let unknown = rest.first(where: { $0.hasPrefix("-") }) { throw UsageError("unknown option \(unknown) for \(name)") }
            if rest.count > maximum { throw UsageError("too many arguments for \(name): \(rest.joined(separator: " "))") }
            return rest
        }
        func exerciseID(_ word: String) throws -> String {
            guard let exercise = Course.exercise(word) else {
                throw UsageError("no exercise \"\(word)\": ids look like 05a (`swift run workbook list` shows them all)")
            }
            return exercise.id
        }
        func optionalExercise() throws -> String? { try words(1).first.map(exerciseID) }
        func requiredExercise() throws -> String {
            guard let word = try words(1).first else { throw UsageError("\(name) needs an exercise id, such as 05a") }
            return try exerciseID(word)
        }

        switch name {
        case "help", "--help", "-h":
            return .help
        case "status":
            _ = try words(0)
            return .status
        case "list":
            let markdown = flag("--markdown")
            _ = try words(0)
            return .list(markdown: markdown)
        case "check":
            let timeline = flag("--timeline")
            if flag("--tsan") {
                if timeline { throw UsageError("check: --tsan and --timeline do not go together; run one, then the other") }
                return .checkWithThreadSanitizer(try optionalExercise())
            }
            if timeline {
                if rest == ["all"] { throw UsageError("check --timeline draws one exercise: give its id (check 05a --timeline), or none for the current one") }
                return .checkWithTimeline(try optionalExercise())
            }
            guard let word = try words(1).first else { return .check(.current) }
            return word == "all" ? .check(.all) : .check(.one(try exerciseID(word)))
        case "watch":
            return .watch(try optionalExercise())
        case "hint":
            return .hint(try optionalExercise())
        case "next":
            _ = try words(0)
            return .next
        case "go":
            return .go(try requiredExercise())
        case "reset":
            let yes = flag("--yes") || flag("-y")
            return .reset(try requiredExercise(), yes: yes)
        case "solution":
            let force = flag("--force")
            return .solution(try optionalExercise(), force: force)
        case "report":
            let json = flag("--json")
            let output = try option("--output")
            let learner = try option("--name")
            _ = try words(0)
            if let learner, learner.trimmingCharacters(in: .whitespaces).isEmpty { throw UsageError("--name needs a name") }
            if output != nil && !json { throw UsageError("--output writes the JSON report: use it with --json") }
            return .report(json: json, output: output, name: learner)
        case "class":
            guard let directory = try words(1).first else { throw UsageError("class needs a folder of JSON reports") }
            return .classroom(directory)
        case "serve":
            if flag("--help") || flag("-h") { return .commandHelp(ServeOptions.usage) }
            let port = try option("--port"), bind = try option("--bind"), folder = try option("--folder")
            let freshCode = flag("--new-code")
            _ = try words(0)
            return .serve(try ServeOptions(port: port, bind: bind, folder: folder, freshCode: freshCode))
        case "join":
            if flag("--help") || flag("-h") { return .commandHelp(RoomCommand.usage) }
            if flag("--leave") {
                _ = try words(0)
                return .room(.leave)
            }
            let learner = try option("--name")
            let given = try words(2)
            if given.isEmpty && learner == nil { return .room(.show) }
            guard given.count == 2 else { throw UsageError("join needs the address and the code that the teacher's screen shows: join ADDRESS CODE --name NAME") }
            guard let learner else { throw UsageError("join needs --name NAME: the name the teacher sees") }
            return .room(.join(try RoomMembership(address: given[0], code: given[1], name: learner, seat: "")))
        case "dev":
            let checkOnly = flag("--check")
            guard try words(1) == ["sync"] else { throw UsageError("dev needs a subcommand: dev sync [--check]") }
            return .devSync(check: checkOnly)
        default:
            throw UsageError("unknown command \"\(name)\"")
        }
    }
}
