import Testing
import WorkbookCourse

// Your exercises, checked by the same checks as the solutions. An exercise whose file is still
// the stub as shipped is "not started" and skipped; once you change it, it is checked for real.
// One exercise:  swift test --filter exercise05a
// (`swift run workbook check 05a` says more, and one exercise that does not compile does not
// stop the others there.)

@Suite("Workbook: your exercises", .serialized)
struct ExerciseTests {
    static func check(_ id: String) async {
        let exercise = Course.exercise(id)!
        await expectAllPass(AllChecks.exercise(id), sourcePath: exercise.exercisePath)
    }

    @Test("Progress", .disabled(if: true, Comment(rawValue: WorkbookFiles.summary)))
    func progress() {}

    @Test("02a Two pages at once", .enabled(if: WorkbookFiles.isStarted("02a"), "not started"))
    func exercise02a() async { await Self.check("02a") }
    @Test("02b Receipts first, results later", .enabled(if: WorkbookFiles.isStarted("02b"), "not started"))
    func exercise02b() async { await Self.check("02b") }
    @Test("03a In order, as soon as possible", .enabled(if: WorkbookFiles.isStarted("03a"), "not started"))
    func exercise03a() async { await Self.check("03a") }
    @Test("03b Tiny items, few tasks", .enabled(if: WorkbookFiles.isStarted("03b"), "not started"))
    func exercise03b() async { await Self.check("03b") }
    @Test("04a The fastest mirror", .enabled(if: WorkbookFiles.isStarted("04a"), "not started"))
    func exercise04a() async { await Self.check("04a") }
    @Test("05a First good answer wins", .enabled(if: WorkbookFiles.isStarted("05a"), "not started"))
    func exercise05a() async { await Self.check("05a") }
    @Test("05b Fail fast", .enabled(if: WorkbookFiles.isStarted("05b"), "not started"))
    func exercise05b() async { await Self.check("05b") }
    @Test("06a A progress counter fed by callbacks", .enabled(if: WorkbookFiles.isStarted("06a"), "not started"))
    func exercise06a() async { await Self.check("06a") }
    @Test("07a Successes and failures, each with its input", .enabled(if: WorkbookFiles.isStarted("07a"), "not started"))
    func exercise07a() async { await Self.check("07a") }
    @Test("08a Keep what finished in time", .enabled(if: WorkbookFiles.isStarted("08a"), "not started"))
    func exercise08a() async { await Self.check("08a") }
    @Test("09a Stop the search", .enabled(if: WorkbookFiles.isStarted("09a"), "not started"))
    func exercise09a() async { await Self.check("09a") }
    @Test("10a A service that owns its pool", .enabled(if: WorkbookFiles.isStarted("10a"), "not started"))
    func exercise10a() async { await Self.check("10a") }
    @Test("11a Primes on a process pool", .enabled(if: WorkbookFiles.isStarted("11a"), "not started"))
    func exercise11a() async { await Self.check("11a") }
    @Test("12a Fix the deadlocking pipeline", .enabled(if: WorkbookFiles.isStarted("12a"), "not started"))
    func exercise12a() async { await Self.check("12a") }
    @Test("12b Fix the racy counter", .enabled(if: WorkbookFiles.isStarted("12b"), "not started"))
    func exercise12b() async { await Self.check("12b") }
    @Test("13a A monitored executor", .enabled(if: WorkbookFiles.isStarted("13a"), "not started"))
    func exercise13a() async { await Self.check("13a") }
    @Test("13b Bounded batches (back-pressure)", .enabled(if: WorkbookFiles.isStarted("13b"), "not started"))
    func exercise13b() async { await Self.check("13b") }
    @Test("14a The concurrent word counter", .enabled(if: WorkbookFiles.isStarted("14a"), "not started"))
    func exercise14a() async { await Self.check("14a") }
    @Test("14b A polite link checker", .enabled(if: WorkbookFiles.isStarted("14b"), "not started"))
    func exercise14b() async { await Self.check("14b") }
    @Test("15a An async API over a pool", .enabled(if: WorkbookFiles.isStarted("15a"), "not started"))
    func exercise15a() async { await Self.check("15a") }
    @Test("15b The same jobs with a TaskGroup", .enabled(if: WorkbookFiles.isStarted("15b"), "not started"))
    func exercise15b() async { await Self.check("15b") }
}
