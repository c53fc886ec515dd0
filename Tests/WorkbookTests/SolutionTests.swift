import Testing
import WorkbookCourse

// Every solution passes every check of its exercise. If one does not, either the solution or
// the check is wrong: both are shipped, so both must be right.

@Suite("Workbook: the solutions pass their checks", .serialized)
struct SolutionTests {
    static func check(_ id: String) async {
        let exercise = Course.exercise(id)!
        await expectAllPass(AllChecks.solution(id), sourcePath: exercise.solutionPath)
    }

    @Test("02a Two pages at once") func solution02a() async { await Self.check("02a") }
    @Test("02b Receipts first, results later") func solution02b() async { await Self.check("02b") }
    @Test("03a In order, as soon as possible") func solution03a() async { await Self.check("03a") }
    @Test("03b Tiny items, few tasks") func solution03b() async { await Self.check("03b") }
    @Test("04a The fastest mirror") func solution04a() async { await Self.check("04a") }
    @Test("05a First good answer wins") func solution05a() async { await Self.check("05a") }
    @Test("05b Fail fast") func solution05b() async { await Self.check("05b") }
    @Test("06a A progress counter fed by callbacks") func solution06a() async { await Self.check("06a") }
    @Test("07a Successes and failures, each with its input") func solution07a() async { await Self.check("07a") }
    @Test("08a Keep what finished in time") func solution08a() async { await Self.check("08a") }
    @Test("09a Stop the search") func solution09a() async { await Self.check("09a") }
    @Test("10a A service that owns its pool") func solution10a() async { await Self.check("10a") }
    @Test("11a Primes on a process pool") func solution11a() async { await Self.check("11a") }
    @Test("12a Fix the deadlocking pipeline") func solution12a() async { await Self.check("12a") }
    @Test("12b Fix the racy counter") func solution12b() async { await Self.check("12b") }
    @Test("13a A monitored executor") func solution13a() async { await Self.check("13a") }
    @Test("13b Bounded batches (back-pressure)") func solution13b() async { await Self.check("13b") }
    @Test("14a The concurrent word counter") func solution14a() async { await Self.check("14a") }
    @Test("14b A polite link checker") func solution14b() async { await Self.check("14b") }
    @Test("15a An async API over a pool") func solution15a() async { await Self.check("15a") }
    @Test("15b The same jobs with a TaskGroup") func solution15b() async { await Self.check("15b") }
}
