import Foundation
import Testing
import WorkbookChecks
import WorkbookCourse

// The workbook checks itself: the course index agrees with the files, everything derived from
// it is up to date, and the stubs fail their checks (a check that cannot fail is a defect). CI
// runs these with WORKBOOK_INTEGRITY=1, which also requires every exercise to be exactly its
// stub as shipped (the fingerprint the index records).

@Suite("Workbook: integrity")
struct IntegrityTests {
    static let ids = Course.exercises.map(\.id)

    @Test("Every stub fails every scenario of its checks", arguments: ids)
    func stubFailsItsChecks(_ id: String) async throws {
        let exercise = Course.exercise(id)!
        guard !WorkbookFiles.isStarted(id) else {
            #expect(!WorkbookFiles.integrityRun,
                "\(exercise.exercisePath) differs from the stub as shipped (git blob \(exercise.shippedStubID ?? "?")): run `swift run workbook dev sync` after changing a stub")
            return  // the learner's file is under test, not the stub
        }
        let check = AllChecks.exercise(id)
        let results = await CheckHarness.run(check, sourceText: WorkbookFiles.read(exercise.exercisePath))
        #expect(results.count == check.scenarios.count, "every scenario must run on the stub")
        for (scenario, result) in zip(check.scenarios, results) {
            #expect(result.status != .passed, "\(id): the scenario \"\(scenario.name)\" passes on the stub: it cannot fail")
        }
    }

    @Test("Every stub says what to do with the todo marker; no solution has one", arguments: ids)
    func markers(_ id: String) throws {
        let exercise = Course.exercise(id)!
        let solution = try #require(WorkbookFiles.read(exercise.solutionPath), "missing \(exercise.solutionPath)")
        #expect(!solution.contains("todo("), "\(exercise.solutionPath) still has a todo marker")
        guard !WorkbookFiles.isStarted(id) else { return }  // the learner's file: not the stub
        let stub = try #require(WorkbookFiles.read(exercise.exercisePath), "missing \(exercise.exercisePath)")
        #expect(stub.contains("todo(\""), "\(exercise.exercisePath) has no todo(\"...\") marker")
        #expect(stub.contains("swift run workbook check \(id)"), "\(exercise.exercisePath) does not say how to check it")
        // The header (everything before the first import) is the same in stub and solution.
        let header = { (text: String) in text.components(separatedBy: "\nimport ").first ?? "" }
        #expect(header(stub) == header(solution), "\(id): the stub and the solution have different instructions")
    }

    @Test("The course index: ids, lessons, titles, three hint levels")
    func courseIndex() {
        let ids = Course.exercises.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate exercise ids")
        #expect(ids == ids.sorted(), "exercises are listed in course order")
        for exercise in Course.exercises {
            #expect(exercise.id.wholeMatch(of: /\d\d[a-z]/) != nil, "id \(exercise.id) is not two digits and a letter")
            #expect(exercise.id.hasPrefix(exercise.lesson < 10 ? "0\(exercise.lesson)" : "\(exercise.lesson)"))
            #expect(exercise.folder.hasPrefix(exercise.id + "-"))
            #expect(exercise.hints.count == 3, "\(exercise.id) needs three hint levels")
            #expect(!exercise.title.isEmpty && !exercise.task.isEmpty)
        }
        for lesson in 2...15 {
            #expect(!Course.exercises(ofLesson: lesson).isEmpty, "lesson \(lesson) has no exercise")
        }
        #expect(Course.lessons.map(\.number) == Array(1...15))
    }

    @Test("Every exercise has its stub, solution and runner; nothing else is there")
    func files() throws {
        let fileManager = FileManager.default
        for exercise in Course.exercises {
            for path in [exercise.exercisePath, exercise.solutionPath, "Sources/Course/WorkbookRunners/\(exercise.id)/main.swift"] {
                #expect(WorkbookFiles.exists(path), "missing \(path)")
            }
        }
        let folders = Set(Course.exercises.map(\.folder))
        for top in ["Exercises", "Solutions"] {
            let entries = try fileManager.contentsOfDirectory(atPath: WorkbookFiles.root + "/" + top)
                .filter { !$0.hasPrefix(".") && $0 != "README.md" }
            #expect(Set(entries) == folders, "\(top) holds other folders than the course index lists")
        }
        let runners = try fileManager.contentsOfDirectory(atPath: WorkbookFiles.root + "/Sources/Course/WorkbookRunners")
        // One runner per exercise, and `solutions` (`check-solutions`, the checks against the
        // solutions, which `check ID --timeline` draws next to the learner's run).
        #expect(Set(runners) == Set(Course.exercises.map(\.id) + ["solutions"]))
        // Each exercise's own files elsewhere are named after it, and after nothing else.
        let ids = Set(Course.exercises.map(\.id))
        let named: [(folder: String, name: @Sendable (String) -> String)] = [
            ("Sources/Course/ExerciseKit/Shared", { "\($0).swift" }),
            ("Sources/Course/WorkbookChecks/Checks", { "Check\($0).swift" }),
            ("Tests/WorkbookTests/KnownAnswers", { "KnownAnswers\($0).swift" }),
        ]
        for (folder, name) in named {
            for file in try fileManager.contentsOfDirectory(atPath: WorkbookFiles.root + "/" + folder) {
                #expect(ids.contains { name($0) == file }, "\(folder)/\(file) is not named after an exercise of the course index")
            }
        }
        for id in ids {
            #expect(WorkbookFiles.exists("Sources/Course/WorkbookChecks/Checks/Check\(id).swift"), "exercise \(id) has no check")
        }
    }

    @Test("What is derived from the course index is up to date (`swift run workbook dev sync`)")
    func derivedFiles() throws {
        let derived = try DerivedFiles.all { WorkbookFiles.bytes($0) }
        for (path, contents) in derived.sorted(by: { $0.key < $1.key }) {
            // The stubs' fingerprints are derived from Exercises/, which a learner changes.
            if path == DerivedFiles.stubFingerprintsPath && !WorkbookFiles.integrityRun { continue }
            #expect(WorkbookFiles.read(path) == contents, "\(path) is stale: run `swift run workbook dev sync`")
        }
    }

    @Test("The README lists every exercise, as `workbook list --markdown` prints it")
    func readme() throws {
        let readme = try #require(WorkbookFiles.read("README.md"))
        for exercise in Course.exercises {
            let listed = readme.contains("| \(exercise.id) | \(exercise.title) |")
            #expect(listed, "README.md does not list \(exercise.id) \(exercise.title)")
        }
    }
}
