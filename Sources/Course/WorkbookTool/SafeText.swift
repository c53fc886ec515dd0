import Foundation

/// Text that came over the network, made safe to print and to name a file with.
///
/// A report's strings end up on the teacher's terminal, where an escape sequence could clear
/// the screen, recolour it or rewrite what is shown (`"\u{1B}[2J"`), and one of them names a
/// file in the reports folder, where `"../x"` would point outside it. So:
///
///     SafeText.name("\u{1B}[31mAda\u{1B}[0m/../x")   // "Ada .. x": printable, no separators
///     SafeText.fileName(name: "Ada L.", seat: "3fa9c1d2")   // "ada-l-3fa9c1d2.json"
///
/// Python has no ready-made equivalent either; the usual tools are `str.isprintable()` and a
/// regular expression for ANSI sequences.
enum SafeText {
    /// The longest name shown in the room (in characters).
    static let longestName = 32

    /// `text` with escape sequences, control and invisible formatting characters removed (so
    /// nothing in it can move the cursor or hide itself), path separators turned into spaces,
    /// runs of spaces made one, and at most `limit` characters ("…" marks a cut).
    static func printable(_ text: String, limit: Int) -> String {
        // Whole escape sequences first (CSI such as ESC[2J, and OSC such as ESC]0;title BEL),
        // so that no "[31m" is left behind once the ESC itself is gone.
        let withoutSequences = text
            .replacing(/\u{1B}\[[0-?]*[ -\/]*[@-~]/, with: "")
            .replacing(/\u{1B}\][^\u{07}\u{1B}]*(\u{07}|\u{1B}\\)?/, with: "")
        var kept = String.UnicodeScalarView()
        for scalar in withoutSequences.unicodeScalars {
            switch scalar.properties.generalCategory {
            // Cc: controls (C0, DEL, C1 with its one-byte CSI); Cf: bidirectional overrides and
            // zero-width characters, which make a name look like another; Zl, Zp: line breaks.
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                continue
            default:
                kept.append(scalar == "/" || scalar == "\\" || scalar.properties.isWhitespace ? " " : scalar)
            }
        }
        let words = String(kept).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return words.count > limit ? String(words.prefix(limit - 1)) + "…" : words
    }

    /// A learner's name as the room shows it: printable, at most `longestName` characters.
    /// Empty if nothing printable is left.
    static func name(_ text: String) -> String {
        printable(text, limit: longestName)
    }

    /// The report file of one learner's seat: lower-case letters, digits and dashes from the
    /// name, then the seat: `ada-l-3fa9c1d2.json`. Never hidden, never a path: it stays in the
    /// reports folder. (The seat tells two learners called "root" apart.)
    static func fileName(name: String, seat: String) -> String {
        var slug = ""
        for character in name.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                slug.append(character)
            } else if !slug.isEmpty && slug.last != "-" {
                slug.append("-")
            }
        }
        slug = String(slug.prefix(24))
        while slug.hasSuffix("-") { slug.removeLast() }
        return (slug.isEmpty ? "learner" : slug) + "-" + seat + ".json"
    }

    /// A seat is 8 lower-case hexadecimal digits, made by `workbook join`.
    static func isSeat(_ text: String) -> Bool {
        text.count == 8 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// A new seat: 8 random hexadecimal digits.
    static func newSeat() -> String {
        String(format: "%08x", UInt32.random(in: 0...UInt32.max))
    }
}
