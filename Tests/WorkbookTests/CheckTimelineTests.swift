import ConcurrentFutures
import Foundation
import LessonSupport
import Testing
import WorkbookChecks
import WorkbookCourse

// The timeline of what the code did (`workbook check ID --timeline`, and the compact one under a
// failed concurrency property) shows the mistake: for three exercises, a known wrong answer's
// timeline has the shape of its mistake, and the solution's the right shape. The shapes are
// forced by the checks' gates and rendezvous, not by timing luck: a sequential answer cannot
// overlap its tasks, an answer that waits for every task cannot return before the last ends.

/// A known wrong answer of exercise `id`, by its summary (Tests/WorkbookTests/KnownAnswers/).
private func knownWrongAnswer(_ id: String, _ summary: String) throws -> PreparedCheck {
    let answers = KnownAnswers.all.filter { $0.id == id && $0.caughtOn != nil }
    return try #require(answers.first { $0.summary == summary }, "no known wrong answer \"\(summary)\" for \(id)").check
}

/// Runs the scenario that `--timeline` draws, alone: its result and what it recorded.
private func runTimelineScenario(_ check: PreparedCheck) async throws -> (result: RunnerEvent, recording: ScenarioRecording) {
    let index = try #require(check.timelineScenario, "\(check.exerciseID) has no timeline scenario")
    let alone = PreparedCheck(exerciseID: check.exerciseID, scenarios: [check.scenarios[index]], module: check.module)
    let (events, recordings) = await CheckHarness.runRecording(alone, sourceText: nil)
    return (try #require(events.first), try #require(recordings[0]))
}

/// The tasks that ran: not the caller's calls, not the cancelled tasks.
private func ranTasks(_ spans: [TimelineSpan]) -> [TimelineSpan] {
    spans.filter { $0.worker != ScenarioRecording.callerRow && !$0.cancelled }
}

/// Whether any two of `spans` ran at the same time.
private func anyOverlap(_ spans: [TimelineSpan]) -> Bool {
    spans.indices.contains { a in
        spans.indices.contains { b in a < b && spans[a].started < spans[b].finished && spans[b].started < spans[a].finished }
    }
}

@Suite("Workbook: the timeline of what the code did")
struct CheckTimelineTests {
    @Test("02a: the sequential answer's tasks never overlap, the solution's two fetches do")
    func sequentialAnswer() async throws {
        let wrong = try await runTimelineScenario(knownWrongAnswer("02a", "waits for the first page before fetching the second"))
        let tasks = ranTasks(wrong.recording.spans)
        #expect(wrong.result.property == .concurrency)
        #expect(Set(tasks.map(\.label)) == ["/news", "/weather"], "the tasks carry the pages' paths as labels")
        #expect(!anyOverlap(tasks), "a sequential answer's rows never overlap")
        #expect(tasks.allSatisfy { $0.finished <= wrong.recording.calls[0].finished })

        let right = try await runTimelineScenario(AllChecks.solution("02a"))
        #expect(right.result.status == .passed)
        let solutionTasks = ranTasks(right.recording.spans)
        #expect(solutionTasks.count == 2 && anyOverlap(solutionTasks), "the solution's two fetches run at the same time")
        #expect(Set(solutionTasks.map(\.worker)).count == 2, "on two workers")
    }

    @Test("05a: the answer that waits for every replica returns after the last task; the solution returns at r2 and r4 never runs")
    func waitedForAll() async throws {
        let wrong = try await runTimelineScenario(knownWrongAnswer("05a", "waits for every replica, then takes the first good answer"))
        let call = try #require(wrong.recording.calls.last)
        let tasks = ranTasks(wrong.recording.spans)
        #expect(wrong.result.property == .promptness)
        #expect(call.label == "firstGoodAnswer")
        #expect(tasks.count == 5, "it let every query run")
        #expect(tasks.allSatisfy { $0.finished <= call.finished }, "the caller's row waits until the last task has ended")
        #expect(!call.waits.isEmpty, "the caller is seen asleep in the call")

        let right = try await runTimelineScenario(AllChecks.solution("05a"))
        let answer = try #require(right.recording.calls.last)
        let spans = right.recording.spans
        #expect(right.result.status == .passed)
        // r1 is held from the start until the answer is back; r3 too if a worker took it before
        // the answer came, else it is cancelled with r4.
        let r1 = try #require(ranTasks(spans).first { $0.label == "r1" })
        #expect(r1.finished > answer.finished, "the slow replica still runs when the solution has returned")
        #expect(ranTasks(spans).filter { $0.finished > answer.finished }.allSatisfy { ["r1", "r3"].contains($0.label) })
        #expect((1...2).contains(spans.filter(\.cancelled).count), "the queued queries are cancelled, never run")
        #expect(!ranTasks(spans).contains { $0.label == "r4" })
    }

    @Test("03b: one task per line shows more tasks than maxTasks allows; the solution at most 8")
    func overTheLimit() async throws {
        let wrong = try await runTimelineScenario(knownWrongAnswer("03b", "one task per line (no chunkSize)"))
        #expect(wrong.result.property == .limit)
        #expect(ranTasks(wrong.recording.spans).count == 10_000, "10,000 tasks for a limit of 8")

        let right = try await runTimelineScenario(AllChecks.solution("03b"))
        let chunks = ranTasks(right.recording.spans)
        #expect(right.result.status == .passed)
        #expect((2...8).contains(chunks.count), "the solution's \(chunks.count) chunks: at most maxTasks, and more than one")
    }

    @Test("a failed concurrency property comes with a compact timeline: at most 12 lines, 80 columns, an explanation last",
          arguments: [
              ("02a", "waits for the first page before fetching the second", "never overlapped"),
              ("05a", "waits for every replica, then takes the first good answer", "only after the last task"),
              ("05a", "does not cancel the queued queries", "started after firstGoodAnswer returned"),
              ("03b", "one task per line (no chunkSize)", "10000 tasks"),
          ])
    func compactTimeline(_ id: String, _ summary: String, _ explained: String) async throws {
        let events = await CheckHarness.run(try knownWrongAnswer(id, summary), sourceText: nil, stopAtFirstProblem: true)
        let failure = try #require(events.first { $0.status == .failed })
        let lines = try #require(failure.timeline, "no timeline under the failure [\(failure.property?.title ?? "?")]")
        #expect(lines.count <= FailureTimeline.maximumLines)
        #expect(lines.allSatisfy { $0.count + 2 <= 80 }, "wider than 80 columns once indented:\n\(lines.joined(separator: "\n"))")
        #expect(lines.last?.contains(explained) == true, "the last line explains: \(lines.last ?? "")")
        #expect(lines.contains { $0.contains("caller") && $0.contains("│") }, "the caller's row is drawn")
        #expect(!lines.joined().contains("\u{1B}"), "plain unless colours are asked for")
        let details = Feedback.details(of: failure, scenario: "the scenario", style: .plain)
        #expect(details.contains(lines[1]), "the failure's details show the timeline as drawn")
    }

    @Test("a property that is not about concurrency has no timeline")
    func noTimelineForOtherProperties() async throws {
        let events = await CheckHarness.run(try knownWrongAnswer("02a", "turns a failed fetch into an empty page"),
                                            sourceText: nil, stopAtFirstProblem: true)
        let failure = try #require(events.first { $0.status == .failed })
        #expect(failure.property == .errors)
        #expect(failure.timeline == nil)
    }

    @Test("yours and the solution's on one scale: the file survives the trip between processes, and fits 80 columns")
    func yoursNextToTheSolution() async throws {
        let wrongCheck = try knownWrongAnswer("02a", "waits for the first page before fetching the second")
        let wrong = try await runTimelineScenario(wrongCheck)
        let right = try await runTimelineScenario(AllChecks.solution("02a"))
        let yours = TimelineFile(check: wrongCheck, recording: wrong.recording, status: wrong.result.status)
        let solution = TimelineFile(check: AllChecks.solution("02a"), recording: right.recording, status: right.result.status)
        let decoded = try JSONDecoder().decode(TimelineFile.self, from: JSONEncoder().encode(yours))
        #expect(decoded == yours)

        let plain = TimelineFile.render(yours: decoded, solution: solution, style: TextStyle(colors: false, width: 120))
        #expect(plain.allSatisfy { $0.count <= 80 }, "wider than 80 columns:\n\(plain.joined(separator: "\n"))")
        #expect(!plain.joined().contains("\u{1B}"))
        #expect(plain.contains { $0.hasPrefix("  your code — ") })
        #expect(plain.contains { $0.hasPrefix("  the solution — ") })
        // 2 s against a fraction of a millisecond: the solution is drawn again on its own scale.
        #expect(plain.contains { $0.hasPrefix("  the solution, zoomed in") })
        let coloured = TimelineFile.render(yours: decoded, solution: solution, style: TextStyle(colors: true, width: 120))
        #expect(coloured.joined().contains("\u{1B}["))
        #expect(coloured.map(Terminal.stripEscapes) == plain)

        let before = TimelineFile.render(yours: decoded, solution: nil, style: TextStyle(colors: false, width: 80))
        #expect(!before.contains { $0.contains("the solution —") })
        #expect(before.joined(separator: " ").contains("your exercise passes"))
    }

    @Test("every exercise has a timeline scenario")
    func everyExerciseHasOne() {
        for exercise in Course.exercises {
            let check = AllChecks.solution(exercise.id)
            #expect(check.timelineScenario != nil, "\(exercise.id): \(check.timeline)")
        }
    }
}
