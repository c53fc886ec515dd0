import Foundation
import WorkbookCourse

/// The last hint of an exercise ("nearly the answer") is mostly code between backticks. Wrapped
/// as prose, a line break lands in the middle of an expression; here each piece of code that is
/// a statement is set apart as an indented block, and a statement too long for one line is
/// broken at its braces and semicolons, as you would write it in your editor:
///
///     Submit the first fetch, submit the second fetch, then
///         return try a.result() + "\n" + b.result()
///
/// Short names (`next()`, `submitOrders`) stay in the sentence.
enum HintLayout {
    /// A part of a hint: prose, or the text between two backticks.
    enum Piece: Equatable {
        case prose(String)
        case code(String)
    }

    /// How far a code block is indented beyond the hint's text.
    static let blockIndent = "    "

    /// `text` cut at its backticks: prose and code, alternating.
    static func pieces(_ text: String) -> [Piece] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, part in
            if part.isEmpty { return nil }
            return index % 2 == 0 ? .prose(String(part)) : .code(String(part))
        }
    }

    /// Code that reads as a statement of its own (`let x = ...`, `for ... { }`), not a name
    /// mentioned in a sentence (`next()`, `while let`).
    static func isBlock(_ code: String) -> Bool {
        if code.contains("{") || code.contains(" = ") || code.contains("; ") { return true }
        let keywords = ["let ", "var ", "return ", "for ", "while ", "guard ", "if ", "do ", "throw "]
        return code.count > 10 && keywords.contains { code.hasPrefix($0) }
    }

    /// The hint, prose wrapped at the style's width, code blocks indented and never wrapped
    /// mid-expression.
    static func render(_ text: String, style: TextStyle, indent: String = "  ") -> String {
        var lines: [String] = []
        var prose = ""
        var afterBlock = false
        func flushProse() {
            let trimmed = prose.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { lines.append(style.wrap(trimmed, indent: indent, firstIndent: indent)) }
            prose = ""
        }
        for piece in pieces(text) {
            switch piece {
            case .code(let code) where isBlock(code):
                flushProse()
                let width = style.width - indent.count - blockIndent.count
                lines += codeLines(code, width: width).map { indent + blockIndent + $0 }
                afterBlock = true
            case .code(let code):
                prose += "`\(code)`"
                afterBlock = false
            case .prose(var text):
                // The punctuation that followed the code in the sentence (". ", ", then")
                // would start a line of its own; the block's end already separates.
                if afterBlock { text = String(text.drop { ".,;:".contains($0) || $0 == " " }) }
                prose += text
                afterBlock = false
            }
        }
        flushProse()
        return lines.joined(separator: "\n")
    }

    /// `code` as lines of at most `width` characters where its structure allows: a statement
    /// that does not fit is broken after its first `{`, its body indented by four spaces, and
    /// statements separated by `;` go on lines of their own (without the `;`).
    static func codeLines(_ code: String, width: Int, depth: Int = 0) -> [String] {
        let code = code.trimmingCharacters(in: .whitespaces)
        let indent = String(repeating: " ", count: 4 * depth)
        if code.isEmpty { return [] }
        if indent.count + code.count <= width { return [indent + code] }
        let statements = topLevelStatements(code)
        if statements.count > 1 {
            return statements.flatMap { codeLines($0, width: width, depth: depth) }
        }
        guard let (open, close) = firstTopLevelBraces(code) else { return [indent + code] }
        var head = String(code[...open])
        var body = String(code[code.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        // A closure's parameters stay on the line of its brace: `map { page in`.
        if let parameters = body.prefixMatch(of: #/^(\([^()]*\)|[\w$]+(, *[\w$]+)*) in /#) {
            head += " " + parameters.output.0.trimmingCharacters(in: .whitespaces)
            body = String(body[parameters.range.upperBound...])
        }
        let tail = String(code[close...])
        return [indent + head] + codeLines(body, width: width, depth: depth + 1) + codeLines(tail, width: width, depth: depth)
    }

    /// `code` split at the semicolons that are outside braces, brackets, parentheses and strings.
    static func topLevelStatements(_ code: String) -> [String] {
        var statements: [String] = []
        var current = ""
        scan(code) { character, _, nesting, isCode in
            if isCode && character == ";" && nesting == 0 {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The first `{` outside brackets, parentheses and strings, and the `}` that closes it.
    /// Without one, the first `{` inside parentheses: a trailing closure in an argument,
    /// `Array(pool.map(items) { ... })`.
    static func firstTopLevelBraces(_ code: String) -> (open: String.Index, close: String.Index)? {
        firstBraces(code, atTopLevel: true) ?? firstBraces(code, atTopLevel: false)
    }

    private static func firstBraces(_ code: String, atTopLevel: Bool) -> (open: String.Index, close: String.Index)? {
        var open: String.Index?
        var close: String.Index?
        var braces = 0
        scan(code) { character, index, nesting, isCode in
            guard isCode, close == nil else { return }
            if character == "{" && open == nil && (nesting == 0 || !atTopLevel) { open = index }
            guard open != nil else { return }
            if character == "{" {
                braces += 1
            } else if character == "}" {
                braces -= 1
                if braces == 0 { close = index }
            }
        }
        guard let open, let close else { return nil }
        return (open, close)
    }

    /// Calls `body` with each character of `code`, its index, how deeply it is nested in (),
    /// [] and {} before it, and whether it is code (false inside a string literal and for its
    /// quotes). A `}` with nothing open (the start of `} else {`) counts as depth 0.
    private static func scan(_ code: String, _ body: (Character, String.Index, Int, Bool) -> Void) {
        var nesting = 0
        var inString = false
        var previous: Character?
        for index in code.indices {
            let character = code[index]
            defer { previous = character }
            if character == "\"" && previous != "\\" {
                inString.toggle()
                body(character, index, nesting, false)
                continue
            }
            if inString {
                body(character, index, nesting, false)
                continue
            }
            if "}])".contains(character) { nesting = max(0, nesting - 1) }
            body(character, index, nesting, true)
            if "{[(".contains(character) { nesting += 1 }
        }
    }
}
