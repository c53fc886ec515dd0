import Foundation
import Testing
import WorkbookCourse
@testable import WorkbookTool

@Suite("workbook tool: the last hint shows its code as code")
struct HintLayoutTests {
    static let style = TextStyle(colors: false, width: 80)

    /// What a layout may change: spaces, line breaks, the backticks, and the punctuation that
    /// joined code to the sentence (a `;` between two statements becomes a line break).
    static func essence(_ text: String) -> String {
        String(text.filter { !" \n`.,;:".contains($0) })
    }

    @Test("A hint with one statement: the code on a line of its own, indented")
    func oneStatement() throws {
        let hint = try #require(Course.exercise("02a")?.hints.last)
        #expect(HintLayout.render(hint, style: Self.style) == """
              Submit the first fetch, submit the second fetch, then
                  return try a.result() + "\\n" + b.result()
            """)
    }

    @Test("Code too long for a line is broken at its braces and semicolons, as in an editor")
    func longCode() throws {
        let hint = try #require(Course.exercise("05a")?.hints.last)
        let rendered = HintLayout.render(hint, style: Self.style)
        #expect(rendered.contains("""
                  while !pending.isEmpty {
                      let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                      for f in done {
            """))
        #expect(rendered.contains("        } catch { errors[replicaOf[f]!] = error }"))
    }

    @Test("Closure parameters stay with their brace")
    func closureParameters() {
        #expect(HintLayout.codeLines("let rendered = try pool.map(pages) { page in (page, try render(page)) }", width: 40) == [
            "let rendered = try pool.map(pages) { page in",
            "    (page, try render(page))",
            "}",
        ])
    }

    @Test("Braces and semicolons inside strings and parentheses are not structure")
    func stringsAndParentheses() {
        #expect(HintLayout.topLevelStatements(#"a("x; y"); b(c { d; e }); f"#) == [#"a("x; y")"#, "b(c { d; e })", "f"])
        #expect(HintLayout.codeLines(#"print("{ not a block }")"#, width: 10) == [#"print("{ not a block }")"#])
        #expect(HintLayout.codeLines("return try Array(pool.map(pairs, chunkSize: size) { multiply($0, $1) })", width: 60) == [
            "return try Array(pool.map(pairs, chunkSize: size) {",
            "    multiply($0, $1)",
            "})",
        ])
    }

    @Test("Names in a sentence stay in the sentence")
    func inlineNames() {
        #expect(!HintLayout.isBlock("next()"))
        #expect(!HintLayout.isBlock("while let"))
        #expect(!HintLayout.isBlock("running -= 1"))
        #expect(HintLayout.isBlock("return future"))
        #expect(HintLayout.isBlock("counts.withLock { $0 }"))
    }

    @Test("Every exercise's last hint: nothing lost, no line wider than the screen", arguments: Course.exercises)
    func everyLastHint(_ exercise: Exercise) throws {
        let hint = try #require(exercise.hints.last)
        let rendered = HintLayout.render(hint, style: Self.style)
        #expect(Self.essence(rendered) == Self.essence(hint))
        for line in rendered.split(separator: "\n") where line.contains("{") || line.contains(";") {
            // A line without braces or semicolons has nowhere to break; the others fit.
            #expect(line.count <= Self.style.width, "\(exercise.id): \(line)")
        }
    }
}
