import Foundation
import Testing
import WorkbookChecks
import WorkbookCourse

// The workbook checks itself: the course index agrees with the files and with Package.swift,
// the stubs fail their checks (a check that cannot fail is a defect), and the stubs kept for
// `workbook reset` are the stubs as shipped. CI runs these with WORKBOOK_INTEGRITY=1, which also
// requires every exercise to be exactly its stub.

@Suite("Workbook: integrity")
struct IntegrityTests {
    static let ids = Course.exercises.map(\.id)

    @Test("Every stub fails every scenario of its checks", arguments: ids)
    func stubFailsItsChecks(_ id: String) async throws {
        let exercise = Course.exercise(id)!
        guard !WorkbookFiles.isStarted(id) else {
            #expect(!WorkbookFiles.integrityRun, "\(exercise.exercisePath) differs from the stub as shipped (\(exercise.originalPath))")
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
        let stub = try #require(WorkbookFiles.read(exercise.originalPath), "missing \(exercise.originalPath)")
        let solution = try #require(WorkbookFiles.read(exercise.solutionPath), "missing \(exercise.solutionPath)")
        #expect(stub.contains("todo(\""), "\(exercise.originalPath) has no todo(\"...\") marker")
        #expect(!solution.contains("todo("), "\(exercise.solutionPath) still has a todo marker")
        #expect(stub.contains("swift run workbook check \(id)"), "\(exercise.originalPath) does not say how to check it")
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

    @Test("Every exercise has its stub, solution, original and runner; nothing else is there")
    func files() throws {
        let fileManager = FileManager.default
        for exercise in Course.exercises {
            for path in [exercise.exercisePath, exercise.solutionPath, exercise.originalPath,
                         "Sources/Course/WorkbookRunners/\(exercise.id)/main.swift"] {
                #expect(WorkbookFiles.exists(path), "missing \(path)")
            }
        }
        let folders = Set(Course.exercises.map(\.folder))
        for top in ["Exercises", "Solutions", "Sources/Course/workbook/Originals"] {
            let entries = try fileManager.contentsOfDirectory(atPath: WorkbookFiles.root + "/" + top)
                .filter { !$0.hasPrefix(".") && $0 != "README.md" }
            #expect(Set(entries) == folders, "\(top) holds other folders than the course index lists")
        }
        let runners = try fileManager.contentsOfDirectory(atPath: WorkbookFiles.root + "/Sources/Course/WorkbookRunners")
        #expect(Set(runners) == Set(Course.exercises.map(\.id)))
    }

    @Test("Package.swift lists the same exercise folders as the course index")
    func manifest() throws {
        let manifest = try #require(WorkbookFiles.read("Package.swift"))
        let list = try #require(manifest.firstRange(of: /let exerciseFolders = \[(?<body>[^\]]*)\]/))
        let folders = manifest[list].matches(of: /"([^"]+)"/).map { String($0.output.1) }
        #expect(folders == Course.exercises.map(\.folder))
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
