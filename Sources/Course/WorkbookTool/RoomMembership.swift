import Foundation

/// The room a learner joined with `workbook join ADDRESS CODE --name NAME`: kept in
/// `.workbook/room.json` next to the progress file, so that every later `check` knows where to
/// send the report. `workbook join --leave` deletes it.
///
///     let membership = try RoomMembership(address: "192.168.1.20:8765", code: "K7Q-X4P", name: "Ada")
///     try membership.save(in: workspace)
///     RoomMembership.load(from: workspace)?.reportURL   // "http://192.168.1.20:8765/report"
struct RoomMembership: Codable, Equatable {
    /// The teacher's machine: an IPv4 address and a port ("192.168.1.20:8765").
    var address: String
    /// The join code as the teacher shows it ("K7Q-X4P").
    var code: String
    /// The name the teacher sees.
    var name: String
    /// Tells this learner's reports from another's with the same name; kept when joining again.
    var seat: String

    /// Checks and normalizes what the learner typed; one line naming what is wrong.
    init(address typed: String, code typedCode: String, name typedName: String, seat: String = SafeText.newSeat()) throws(UsageError) {
        address = try Self.normalizedAddress(typed)
        guard let joinCode = JoinCode(typedCode) else {
            throw UsageError("\"\(SafeText.printable(typedCode, limit: 20))\" is not a join code: it has six letters and digits, such as K7Q-X4P")
        }
        code = joinCode.description
        name = SafeText.name(typedName)
        guard !name.isEmpty else { throw UsageError("--name needs a name with letters in it") }
        self.seat = seat
    }

    /// "192.168.1.20:8765" from "192.168.1.20", "192.168.1.20:8765" or "http://192.168.1.20:8765/".
    /// Only IPv4 addresses (and localhost): the tool looks no names up, so that a check never
    /// waits for a name server.
    static func normalizedAddress(_ typed: String) throws(UsageError) -> String {
        var text = typed.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("http://") { text.removeFirst("http://".count) }
        while text.hasSuffix("/") { text.removeLast() }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let example = "an address such as 192.168.1.20:8765 (what `workbook serve` shows)"
        guard (1...2).contains(parts.count) else { throw UsageError("\"\(SafeText.printable(typed, limit: 40))\" is not \(example)") }
        guard let host = ipv4Host(String(parts[0])) else {
            throw UsageError("\"\(SafeText.printable(typed, limit: 40))\" is not \(example); names are not looked up")
        }
        var port = RoomServer.defaultPort
        if parts.count == 2 {
            guard let typedPort = UInt16(parts[1]), typedPort > 0 else { throw UsageError("bad port in \"\(SafeText.printable(typed, limit: 40))\": \(example)") }
            port = typedPort
        }
        return "\(host):\(port)"
    }

    /// `text` if it is an IPv4 address in dotted form ("192.168.1.20"), "127.0.0.1" for
    /// "localhost"; nil for anything else.
    static func ipv4Host(_ text: String) -> String? {
        if text == "localhost" { return "127.0.0.1" }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ $0.allSatisfy(\.isWholeNumber) && UInt8($0) != nil }) else { return nil }
        return text
    }

    /// Where reports are posted.
    var reportURL: String { "http://\(address)/report" }

    static func file(in workspace: Workspace) -> String { workspace.stateDirectory + "/room.json" }

    /// The room joined, if any (a damaged file counts as none: checks must never fail for it).
    static func load(from workspace: Workspace) -> RoomMembership? {
        guard let data = FileManager.default.contents(atPath: file(in: workspace)) else { return nil }
        return try? JSONDecoder().decode(RoomMembership.self, from: data)
    }

    func save(in workspace: Workspace) throws {
        try FileManager.default.createDirectory(atPath: workspace.stateDirectory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.file(in: workspace)), options: .atomic)
    }

    /// Forgets the room; false if none was joined.
    static func leave(in workspace: Workspace) throws -> Bool {
        let path = file(in: workspace)
        guard FileManager.default.fileExists(atPath: path) else { return false }
        try FileManager.default.removeItem(atPath: path)
        return true
    }
}
