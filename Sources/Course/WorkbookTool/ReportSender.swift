import ConcurrentFutures
import Foundation
import LessonSupport

/// Sends the learner's report to the teacher's room after each check, on a thread of its own,
/// so that a check never fails for it and waits for it at most `bound`.
///
///     let sender = ReportSender(membership: membership)
///     sender.send(report)                  // returns at once; the report goes out meanwhile
///     print(feedback)                      // the check's own output
///     if let note = sender.finish() { print(note) }   // waits ≤ 0.3 s; nil if it went through
///
/// The thread is a one-worker `ThreadPoolExecutor` (this course's own pool), and `finish` is
/// `future.result(timeout:)`: lesson 08's point that a timeout stops the *waiting*, not the
/// work. A newer report replaces one still queued behind a slow send (lesson 09: `cancel` works
/// on a task that has not started). Python: `pool.submit(post, report)`, then
/// `future.result(timeout=0.3)`.
final class ReportSender: Sendable {
    /// The most a check waits for the room: connecting, sending and the answer, together.
    /// On the same network an answer takes a few milliseconds; a teacher's machine that is gone
    /// (asleep, off the Wi-Fi) never answers, and then this is what the check pays.
    static let bound: Duration = .milliseconds(300)

    let membership: RoomMembership
    let timeout: Duration
    private let pool: ThreadPoolExecutor
    /// The latest send and when it was started.
    private let latest = LockedValue<(future: Future<String?>, started: ContinuousClock.Instant)?>(nil)

    init(membership: RoomMembership, timeout: Duration = bound) {
        self.membership = membership
        self.timeout = timeout
        // maxWorkers 1 is valid: the initializer cannot throw here.
        pool = try! ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "workbook-room", detectsDeadlocks: false)
    }

    deinit { pool.shutdown(wait: false, cancelFutures: true) }

    /// Starts sending `report` and returns at once.
    func send(_ report: LearnerReport) {
        guard let body = try? JSONEncoder.workbook.encode(report) else { return }
        let membership = membership
        let timeout = timeout
        guard let future = try? pool.submit(label: "report to the room", {
            Self.post(Array(body), to: membership, timeout: timeout).map(Self.note)
        }) else { return }
        let previous = latest.withLock { latest in
            defer { latest = (future, .now) }
            return latest?.future
        }
        previous?.cancel()  // only if it has not started: a send in progress finishes
    }

    /// Waits for the latest send to end, at most until `timeout` after it started (the send
    /// itself gives up then too). Returns the one quiet line to show if the report did not get
    /// through; nil if it did, or if nothing was sent.
    func finish() -> String? {
        guard let (future, started) = latest.withLock({ $0 }) else { return nil }
        let remaining = started + timeout - .now
        do {
            return try future.result(timeout: max(.zero, remaining))
        } catch {
            return Self.note("no answer from \(membership.address) within \(Int(timeout.inMilliseconds)) ms")
        }
    }

    /// Posts one report: nil if the room took it, else why not, in a few words.
    static func post(_ body: [UInt8], to membership: RoomMembership, timeout: Duration) -> String? {
        let code = JoinCode(membership.code)?.characters ?? ""
        let response: HTTPResponse
        do {
            response = try HTTPClient.post(
                membership.reportURL, body: body,
                headers: ["Authorization": "Bearer \(code)", "Workbook-Seat": membership.seat], timeout: timeout)
        } catch {
            return reason(error, address: membership.address, timeout: timeout)
        }
        guard !response.isSuccess else { return nil }
        guard let refusal = refusal(response) else {
            return "\(membership.address) answered HTTP \(response.status) \(SafeText.printable(response.reason, limit: 40)): is it a workbook room?"
        }
        return "the room refused it: " + refusal
    }

    /// Why the room said no, in its own words, made printable: the `message` of its JSON answer,
    /// or the one line its server writes itself (413 for a body too large). Nil for a reply that
    /// is not the room's (another program listens at that address).
    static func refusal(_ response: HTTPResponse) -> String? {
        if let answer = try? JSONDecoder().decode(RoomServer.Answer.self, from: Data(response.body)) {
            return SafeText.printable(answer.message, limit: 120)
        }
        guard response.header("Server") == "LessonSupport",
              let firstLine = response.text.split(whereSeparator: \.isNewline).first else { return nil }
        return SafeText.printable(String(firstLine), limit: 120)
    }

    static func reason(_ error: HTTPClientError, address: String, timeout: Duration) -> String {
        switch error {
        case .timedOut: "no answer from \(address) within \(Int(timeout.inMilliseconds)) ms"
        case .connectionRefused: "nothing listens at \(address): has the teacher stopped the room?"
        case .malformedResponse(let detail) where detail.contains("closed the connection"):
            "\(address) closed the connection without answering"
        default: "\(address): \(error)"
        }
    }

    /// "room: report not sent (...); your check is not affected"
    static func note(_ reason: String) -> String {
        "room: report not sent (\(reason)); your check is not affected"
    }
}

extension Session {
    /// After a check: the report goes to the room (if the learner joined one) in the background.
    func sendReportToRoom() {
        guard let room else { return }
        room.send(LearnerReport(store: store, name: room.membership.name))
    }

    /// At the end of a check's output: one quiet line if the report did not get through.
    func printRoomNote() {
        if let note = room?.finish() { print(style.dim(note)) }
    }
}
