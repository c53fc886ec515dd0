import Foundation

/// The short code a teacher shows and the learners type to join the room: six letters and
/// digits, shown in two halves (`K7Q-X4P`). A report without it is refused.
///
///     let code = JoinCode.random()            // K7Q-X4P
///     JoinCode("k7q x4p") == code             // true: case, dashes and spaces do not matter
///
/// It keeps strangers on the same network from filling the room by accident or for fun; it is
/// not encryption (the room speaks plain HTTP, see Lessons/TEACHING.md, "The live room").
struct JoinCode: Equatable, CustomStringConvertible {
    /// No 0/O, 1/I/L: nothing that reads as something else on a projector. 31 signs, so six
    /// of them make about 887 million codes.
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    static let length = 6

    /// The six signs, upper case, without the dash.
    let characters: String

    /// A code as typed: case, dashes and spaces are ignored. Nil if it is not six signs of the
    /// alphabet.
    init?(_ typed: String) {
        let characters = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard characters.count == Self.length, characters.allSatisfy(Self.alphabet.contains) else { return nil }
        self.characters = characters
    }

    static func random() -> JoinCode {
        var generator = SystemRandomNumberGenerator()
        return JoinCode(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))!
    }

    /// `K7Q-X4P`
    var description: String { "\(characters.prefix(3))-\(characters.dropFirst(3))" }

    /// Whether `typed` (from a request) is this code. Compares every character whatever the
    /// first difference, so the time taken does not tell how much of a guess was right.
    func matches(_ typed: String) -> Bool {
        guard let other = JoinCode(typed) else { return false }
        var difference = 0
        for (mine, theirs) in zip(characters.utf8, other.characters.utf8) { difference |= Int(mine ^ theirs) }
        return difference == 0
    }

    /// The code kept in the reports folder (a hidden file that `workbook class` skips), so that
    /// a room restarted on the same folder keeps its code and the learners need not join again.
    static func file(in folder: String) -> String { (folder as NSString).appendingPathComponent(".join-code") }

    /// The folder's code, or a new one (written there) if it has none or `fresh` is asked for.
    static func forFolder(_ folder: String, fresh: Bool) throws -> (code: JoinCode, reused: Bool) {
        if !fresh, let data = FileManager.default.contents(atPath: file(in: folder)),
           let code = JoinCode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
            return (code, true)
        }
        let code = random()
        do {
            try Data((code.description + "\n").utf8).write(to: URL(fileURLWithPath: file(in: folder)), options: .atomic)
        } catch {
            throw InputError("cannot write in the folder \(folder): \(fileSystemReason(error) ?? "\(error)")")
        }
        return (code, false)
    }
}
