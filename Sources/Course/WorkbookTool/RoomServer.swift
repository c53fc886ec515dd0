import Foundation
import LessonSupport

/// The teacher's end of the live room: the lessons' small HTTP server (LessonSupport's
/// `LocalHTTPServer`, one thread per connection) listening where the teacher says, with one
/// route that takes learners' reports into a `LiveRoom`.
///
///     POST /report                 the body: `workbook report --json`, at most 64 KiB
///     Authorization: Bearer K7QX4P the join code
///     Workbook-Seat: 3fa9c1d2      the learner's seat, made by `workbook join`
///
/// Answers, each with a one-line JSON body `{"ok": ..., "message": "..."}`: 200 taken;
/// 400 not a report (or no seat); 401 no join code; 403 a wrong one; 404 another path;
/// 405 another method; 413 a body over the limit (refused by the server before it is read);
/// 503 the room is full or the report cannot be written.
///
///     let server = try RoomServer(room: room, code: code, host: "127.0.0.1", port: 0)
///     print(server.port)
///     server.stop()
///
/// Nothing received is run or interpreted beyond decoding a report; what is kept and written
/// is the sanitized report (see `LearnerReport.sanitizedForTheRoom`), under a file name the
/// room makes itself (`SafeText.fileName`).
final class RoomServer: Sendable {
    /// A report is a few kilobytes; a body larger than this is refused (413).
    static let largestBody = 64 * 1024
    /// The port `workbook serve` uses unless told otherwise.
    static let defaultPort: UInt16 = 8765

    let room: LiveRoom
    let code: JoinCode
    private let server: LocalHTTPServer

    init(room: LiveRoom, code: JoinCode, host: String, port: UInt16) throws(InputError) {
        self.room = room
        self.code = code
        let configuration = LocalHTTPServer.Configuration(
            requestTimeout: .seconds(5), host: host, port: port, methods: ["GET", "HEAD", "POST"],
            maximumBodySize: Self.largestBody
        ) { [room, code] request in
            Self.reply(to: request, room: room, code: code)
        }
        do {
            server = try LocalHTTPServer(configuration: configuration)
        } catch {
            guard case .system(let call, let number) = error else { throw InputError("\(error)") }
            let advice = number == EADDRINUSE ? " (is another `workbook serve` running? choose another port with --port)"
                : number == EADDRNOTAVAIL ? " (\(host) is not an address of this machine; see --bind)"
                : number == EACCES ? " (ports below 1024 need privileges; choose another with --port)" : ""
            throw InputError("cannot listen on \(host):\(port): \(call) failed: \(String(cString: strerror(number)).lowercased())\(advice)")
        }
    }

    /// The port listened on (the one chosen by the system when asked for port 0).
    var port: UInt16 { server.port }

    /// Stops listening and waits for the requests in progress to end.
    func stop() { server.stop() }

    /// The answer to one request; every report that is taken is in the room (and its folder)
    /// before the learner hears 200.
    static func reply(to request: HTTPRequest, room: LiveRoom, code: JoinCode) -> LocalHTTPServer.Reply {
        guard request.path == "/report" else {
            if request.method != "POST" && request.path == "/" {
                return answer(200, "a workbook room: learners join with `swift run workbook join ADDRESS CODE --name NAME`")
            }
            return answer(404, "no such place: reports go to POST /report")
        }
        guard request.method == "POST" else { return answer(405, "reports are sent with POST") }
        // The code first: nothing from a stranger is read any further.
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer ") else {
            room.note("refused a report without a join code")
            return answer(401, "a join code is needed: swift run workbook join ADDRESS CODE --name NAME")
        }
        guard code.matches(String(authorization.dropFirst("Bearer ".count))) else {
            room.note("refused a report: wrong join code")
            return answer(403, "wrong join code: ask the teacher for the code and join again")
        }
        guard let seat = request.headers["workbook-seat"], SafeText.isSeat(seat) else {
            room.note("refused a report without a seat")
            return answer(400, "no seat (the Workbook-Seat header): join with `swift run workbook join`")
        }
        do {
            let report = try ReceivedReport.read(request.body)
            try room.receive(report, seat: seat)
            return answer(200, "received: \(report.learner), \(report.done)/\(report.total) done")
        } catch {
            room.note("refused a report: \(error.message)")
            let full = error.message.hasPrefix("the room is full") || error.message.hasPrefix("the teacher's machine")
            return answer(full ? 503 : 400, error.message)
        }
    }

    /// What every answer carries, for the learner's one line.
    struct Answer: Codable, Equatable {
        var ok: Bool
        var message: String
    }

    static func answer(_ status: Int, _ message: String) -> LocalHTTPServer.Reply {
        let body = (try? JSONEncoder().encode(Answer(ok: (200..<300).contains(status), message: message))) ?? Data()
        return .init(status: status, contentType: "application/json", body: Array(body))
    }
}
