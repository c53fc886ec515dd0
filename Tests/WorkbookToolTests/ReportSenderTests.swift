import ConcurrentFutures
import Foundation
import LessonSupport
import Testing
import WorkbookCourse
@testable import WorkbookTool

/// A server that takes the connection and the request, then never answers: a teacher's machine
/// that froze, or that is about to disappear. `arrived` is signalled when a request is in.
final class SilentServer: Sendable {
    let server: LocalHTTPServer
    let arrived = DispatchSemaphore(value: 0)

    init() throws {
        let arrived = arrived
        server = try LocalHTTPServer(configuration: .init(methods: ["POST"]) { _ in
            arrived.signal()
            return .init(text: "too late", delay: .seconds(60))  // stop() cuts this short
        })
    }

    var address: String { "127.0.0.1:\(server.port)" }
}

@Suite("workbook check: the report to the room never slows or fails a check")
struct ReportSenderTests {
    static func membership(_ address: String) throws -> RoomMembership {
        try RoomMembership(address: address, code: "K7Q-X4P", name: "ada")
    }

    static let report = ClassroomTests.report("ada", failingOn: "05a", done: 3)

    @Test("A server that disappears mid-send: the sender returns within its bound with one quiet line")
    func serverDisappears() throws {
        let silent = try SilentServer()
        let sender = ReportSender(membership: try Self.membership(silent.address))
        let started = ContinuousClock.now
        sender.send(Self.report)
        // The request is in; now the teacher's machine goes away.
        #expect(silent.arrived.wait(timeout: .now() + 10) == .success)
        silent.server.stop()
        let note = sender.finish()
        let elapsed = ContinuousClock.now - started
        #expect(note == "room: report not sent (\(silent.address) closed the connection without answering); your check is not affected"
            || note == "room: report not sent (no answer from \(silent.address) within 300 ms); your check is not affected")
        // The bound is 300 ms; the margin is for a machine busy with other builds, not for the
        // sender.
        #expect(elapsed < .seconds(2), "returned after \(elapsed)")
    }

    @Test("A teacher's machine that never answers costs the bound, 300 ms, and one quiet line")
    func serverNeverAnswers() throws {
        let silent = try SilentServer()
        defer { silent.server.stop() }
        let sender = ReportSender(membership: try Self.membership(silent.address))
        let started = ContinuousClock.now
        sender.send(Self.report)
        let note = sender.finish()
        let elapsed = ContinuousClock.now - started
        #expect(note == "room: report not sent (no answer from \(silent.address) within 300 ms); your check is not affected")
        #expect(elapsed >= ReportSender.bound)
        #expect(elapsed < .seconds(2), "returned after \(elapsed)")
    }

    @Test("Nobody listening: one quiet line at once")
    func nobodyListening() throws {
        let gone = try LocalHTTPServer()
        let address = "127.0.0.1:\(gone.port)"
        gone.stop()
        let sender = ReportSender(membership: try Self.membership(address))
        sender.send(Self.report)
        #expect(sender.finish() == "room: report not sent (nothing listens at \(address): has the teacher stopped the room?); your check is not affected")
    }

    @Test("A reply from another program at that address is not taken for the room's")
    func notARoom() {
        let other = HTTPResponse(status: 404, reason: "Not Found", headers: ["server": "nginx"], body: Array("<html>\u{1B}[2J".utf8))
        #expect(ReportSender.refusal(other) == nil)
        let tooLarge = HTTPResponse(status: 413, reason: "Content Too Large", headers: ["server": "LessonSupport"],
                                    body: Array("413 Content Too Large: the body has 70000 bytes\n".utf8))
        #expect(ReportSender.refusal(tooLarge) == "413 Content Too Large: the body has 70000 bytes")
    }

    @Test("A check's hooks: the report goes to the room, and the note comes after the check's output")
    func sessionHooks() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        let (workspace, _) = try ProgressTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        var session = Session(workspace: workspace, store: try ProgressStore(workspace: workspace), style: .plain)
        session.sendReportToRoom()  // not joined: nothing happens
        session.room = ReportSender(membership: try room.membership("ada"), timeout: .seconds(10))
        session.sendReportToRoom()
        #expect(session.room?.finish() == nil)
        #expect(room.room.snapshot().seats.map(\.report.learner) == ["ada"])
    }

    @Test("join sends a report to check the address and code, keeps the room only if it was taken, and leave forgets it")
    func joinAndLeave() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        let (workspace, _) = try ProgressTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        let store = try ProgressStore(workspace: workspace)

        let wrong = try room.membership("Ada", code: "AAA-AAA")
        do {
            _ = try WorkbookTool.room(.join(wrong), workspace: workspace, store: store, style: .plain)
            Issue.record("a wrong code must not join")
        } catch {
            #expect(oneLine(error) == "could not join: the room refused it: wrong join code: ask the teacher for the code and join again")
        }
        #expect(RoomMembership.load(from: workspace) == nil)

        #expect(try WorkbookTool.room(.join(try room.membership("Ada")), workspace: workspace, store: store, style: .plain) == 0)
        let joined = try #require(RoomMembership.load(from: workspace))
        #expect(joined.address == room.address && joined.name == "Ada" && SafeText.isSeat(joined.seat))
        #expect(FileManager.default.fileExists(atPath: workspace.stateDirectory + "/room.json"))
        #expect(room.files == ["ada-\(joined.seat).json"])

        // Again, under another name: the same seat, so the teacher still sees one row.
        #expect(try WorkbookTool.room(.join(try room.membership("Ada L.")), workspace: workspace, store: store, style: .plain) == 0)
        #expect(RoomMembership.load(from: workspace)?.seat == joined.seat)
        #expect(room.files == ["ada-l-\(joined.seat).json"])

        #expect(try WorkbookTool.room(.leave, workspace: workspace, store: store, style: .plain) == 0)
        #expect(RoomMembership.load(from: workspace) == nil)
        #expect(try WorkbookTool.room(.leave, workspace: workspace, store: store, style: .plain) == 0)
    }

    @Test("serve and join on the command line; bad input is one usage line")
    func commandLine() throws {
        #expect(try Command.parse(["serve"]) == .serve(ServeOptions()))
        #expect(try Command.parse(["serve", "--port", "9000", "--bind", "127.0.0.1", "--folder", "room", "--new-code"])
            == .serve(try ServeOptions(port: "9000", bind: "127.0.0.1", folder: "room", freshCode: true)))
        #expect(try Command.parse(["serve", "--bind", "localhost"]) == .serve(try ServeOptions(bind: "127.0.0.1")))
        #expect(try Command.parse(["serve", "--help"]) == .commandHelp(ServeOptions.usage))
        #expect(try Command.parse(["join", "--help"]) == .commandHelp(RoomCommand.usage))
        #expect(try Command.parse(["join"]) == .room(.show))
        #expect(try Command.parse(["join", "--leave"]) == .room(.leave))
        #expect(try Command.parse(["join", "http://10.0.0.5:9000/", "k7q x4p", "--name", "Ada"])
            == .room(.join(try RoomMembership(address: "10.0.0.5:9000", code: "K7Q-X4P", name: "Ada", seat: ""))))
        #expect(try RoomMembership(address: "10.0.0.5", code: "K7QX4P", name: "Ada").address == "10.0.0.5:8765")

        for arguments in [
            ["serve", "--port", "70000"], ["serve", "--bind", "example.org"], ["serve", "--bind", "10.0.0"], ["serve", "extra"],
            ["join", "10.0.0.5:8765"], ["join", "10.0.0.5:8765", "K7QX4P"], ["join", "teacher.local", "K7QX4P", "--name", "Ada"],
            ["join", "10.0.0.5:0", "K7QX4P", "--name", "Ada"], ["join", "10.0.0.5", "1234", "--name", "Ada"],
            ["join", "10.0.0.5", "K7QX4P", "--name", "\u{1B}[2J"], ["join", "--leave", "10.0.0.5"],
        ] {
            var printed: [String] = []
            #expect(WorkbookTool.run(arguments) { printed.append($0) } == 2, "\(arguments)")
            #expect(printed.count == 1 && printed[0].hasPrefix("workbook: error: ") && !printed[0].dropLast().contains("\n"), "\(printed)")
        }
    }

    @Test("--help of serve and join: how to run it, the safety rules, where to read more")
    func help() {
        #expect(WorkbookTool.usage.contains("serve [--port N] [--bind ADDRESS] [--folder DIR]"))
        #expect(WorkbookTool.usage.contains("join ADDRESS CODE --name NAME"))
        for text in ["--bind ADDRESS", "0.0.0.0", "--folder DIR", "64 KiB", "join code", "TEACHING.md"] {
            #expect(ServeOptions.usage.contains(text), "\(text)")
        }
        for text in ["--name NAME", "--leave", "0.3 s", ".workbook/room.json"] {
            #expect(RoomCommand.usage.contains(text), "\(text)")
        }
    }
}
