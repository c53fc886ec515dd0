import Foundation
import Testing
import WorkbookChecks
import WorkbookCourse

// Known answers to every exercise, which prove that the checks test what they say:
//
// - wrong answers a learner could write (a small change to the solution, the kind of mistake
//   the lesson is about), each of which must be caught in EVERY run, and on the property it
//   gets wrong: the first problem the learner reads must name the mistake;
// - right answers written differently from the solution (another API, another lock), each of
//   which must pass every run: a check must not demand one way of writing it.
//
// Each exercise's answers live in KnownAnswers/KnownAnswersNNx.swift; the list of all of them
// is generated from the course index (Generated/CheckLists.swift). Every answer runs `runs`
// times. They take a while (a wrong answer often waits for a gate to time out), so they run
// when WORKBOOK_INTEGRITY=1 (CI), and not under the sanitizers (which slow everything down).

struct KnownAnswer: Sendable, CustomTestStringConvertible {
    let id: String
    let summary: String
    /// The property a learner must read about first; `nil` for a right answer.
    let caughtOn: CheckProperty?
    let check: PreparedCheck
    /// Source text to check instead of the solution's (for checks that read the code).
    var source: String?

    var testDescription: String { "\(id) \(caughtOn == nil ? "right" : "wrong"): \(summary)" }

    /// A wrong answer, which the checks must catch on `property` in every run.
    static func wrong(_ id: String, _ summary: String, caughtOn property: CheckProperty, _ check: PreparedCheck,
                      source: String? = nil) -> KnownAnswer {
        KnownAnswer(id: id, summary: summary, caughtOn: property, check: check, source: source)
    }

    /// A right answer, written differently from the solution, which must pass every run.
    static func right(_ id: String, _ summary: String, _ check: PreparedCheck, source: String? = nil) -> KnownAnswer {
        KnownAnswer(id: id, summary: summary, caughtOn: nil, check: check, source: source)
    }
}

/// The known answers, by exercise (`KnownAnswers.answers05a`, ...), and all of them (`all`).
enum KnownAnswers {
    /// The module name the known answers are checked as (for `todo` markers: they have none).
    static let module = "KnownAnswers"
}

/// Lets at most `width` checks run at once: the checks force their interleavings with gates
/// and rendezvous, but a machine with two cores and a hundred checks at once would still turn
/// a one-second gate into a time-out for a right answer. A check with async scenarios runs
/// alone: a wrong answer that blocks the threads every Task shares would stall the others.
actor CheckLimiter {
    private let width: Int
    private var free: Int
    private var waiting: [(slots: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(width: Int) { (self.width, free) = (width, width) }

    func run<T: Sendable>(alone: Bool = false, _ body: @Sendable () async -> T) async -> T {
        let slots = alone ? width : 1
        await acquire(slots)
        let result = await body()
        release(slots)
        return result
    }

    private func acquire(_ slots: Int) async {
        if waiting.isEmpty && free >= slots {
            free -= slots
            return
        }
        await withCheckedContinuation { waiting.append((slots, $0)) }
    }

    private func release(_ slots: Int) {
        free += slots
        // First come, first served: a check waiting to run alone is not overtaken.
        while let next = waiting.first, free >= next.slots {
            waiting.removeFirst()
            free -= next.slots
            next.continuation.resume()
        }
    }
}

@Suite("Workbook: the checks catch wrong answers every time, and pass right ones",
       .enabled(if: WorkbookFiles.integrityRun && processTimeScale == 1, "runs in CI (WORKBOOK_INTEGRITY=1)"))
struct KnownAnswerTests {
    /// How many times each known answer runs: a wrong answer caught "most of the time" is not caught.
    static let runs = 5
    static let limiter = CheckLimiter(width: 3)

    /// The answers to run: all, or those of the exercises listed in WORKBOOK_ONLY ("05a,06a").
    static let selected: [KnownAnswer] = {
        guard let only = ProcessInfo.processInfo.environment["WORKBOOK_ONLY"] else { return KnownAnswers.all }
        let ids = Set(only.split(separator: ",").map(String.init))
        return KnownAnswers.all.filter { ids.contains($0.id) }
    }()

    @Test("Caught every run on the property it gets wrong, or passes every run", arguments: selected)
    func verdict(_ answer: KnownAnswer) async {
        let exercise = Course.exercise(answer.id)!
        let source = answer.source ?? WorkbookFiles.read(exercise.solutionPath)
        for run in 1...Self.runs {
            let results = await Self.limiter.run(alone: answer.check.scenarios.contains { $0.isAsync }) {
                await CheckHarness.run(answer.check, sourceText: source, stopAtFirstProblem: true)
            }
            let problem = results.first { $0.status != .passed }
            guard let expected = answer.caughtOn else {
                #expect(problem == nil, "\(answer.testDescription): run \(run) of \(Self.runs) failed: \(describe(problem, in: answer))")
                continue
            }
            guard let problem else {
                Issue.record("\(answer.testDescription): run \(run) of \(Self.runs) passed every scenario")
                continue
            }
            #expect(problem.property == expected,
                "\(answer.testDescription): run \(run) of \(Self.runs) reported \"\(problem.property?.title ?? "?")\" first, not \"\(expected.title)\": \(describe(problem, in: answer))")
        }
    }

    @Test("Every exercise has at least three known wrong answers and one right answer")
    func coverage() {
        for exercise in Course.exercises {
            let answers = KnownAnswers.all.filter { $0.id == exercise.id }
            #expect(answers.filter { $0.caughtOn != nil }.count >= 3, "\(exercise.id) needs at least three known wrong answers")
            #expect(answers.contains { $0.caughtOn == nil }, "\(exercise.id) needs a right answer written differently from the solution")
        }
    }

    func describe(_ problem: RunnerEvent?, in answer: KnownAnswer) -> String {
        guard let problem, let index = problem.index, index < answer.check.scenarios.count else { return "no details" }
        return Feedback.details(of: problem, scenario: answer.check.scenarios[index].name, style: .plain)
    }
}
