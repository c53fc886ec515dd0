import Foundation
import Testing

@testable import LessonSupport

/// The repository's root: three folders above this file (Tests/LessonSupportTests/this.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Every lesson folder: Lessons/lesson01 ... Lessons/lesson15.
let lessonFolders = listDirectory(repositoryRoot + "/Lessons").filter { $0.hasPrefix("lesson") }.map { repositoryRoot + "/Lessons/" + $0 }

/// The text of a file of the repository.
func source(_ path: String) -> String {
    (try? String(decoding: readFile(path), as: UTF8.self)) ?? ""
}

/// The Swift files of a folder, with their text.
func swiftFiles(in folder: String) -> [(name: String, text: String)] {
    listDirectory(folder).filter { $0.hasSuffix(".swift") }.map { ($0, source(folder + "/" + $0)) }
}

/// Every match of `pattern`'s first capture group in `text`.
func captures(_ pattern: String, in text: String) -> [String] {
    let expression = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
    return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
        Range(match.range(at: 1), in: text).map { String(text[$0]) }
    }
}

@Suite("Snippets: the code shown is the code that runs")
struct SnippetTests {
    @Test("a snippet is the lines between its markers, without their common indentation")
    func extraction() throws {
        let source = """
            func demo() {
                // snippet: outer
                let a = 1
                // snippet: inner
                if a > 0 {
                    print(a)   \("")
                }
                // snippet end

                let b = 2
                // snippet end
            }
            """
        let found = try SourceSnippets.snippets(in: source)
        #expect(found["inner"] == "if a > 0 {\n    print(a)\n}")
        #expect(found["outer"] == "let a = 1\nif a > 0 {\n    print(a)\n}\n\nlet b = 2", "markers are never shown")
    }

    @Test("mistakes in the markers are reported with their line", arguments: [
        ("// snippet: a\nx\n", "line 1: snippet a never ends"),
        ("x\n// snippet end\n", "line 2: `// snippet end` without a snippet to end"),
        ("// snippet: a\n// snippet end\n", "line 2: snippet a is empty"),
        ("// snippet: a\nx\n// snippet end\n// snippet: a\ny\n// snippet end", "line 4: a second snippet named a"),
        ("// snippet:\nx\n// snippet end", "line 1: a snippet needs a one-word name: `// snippet: name`"),
    ])
    func markerMistakes(source: String, message: String) {
        #expect(throws: SourceSnippets.MarkerError.self) { try SourceSnippets.snippets(in: source) }
        do {
            _ = try SourceSnippets.snippets(in: source)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("every lesson prints its Swift code from snippets, never from a string")
    func noCodeInStrings() {
        #expect(lessonFolders.count == 15)
        for folder in lessonFolders {
            for (name, text) in swiftFiles(in: folder) {
                let literalCode = captures(#"code\(\s*(swift):"#, in: text)
                #expect(literalCode.isEmpty, "\(folder)/\(name) shows code from a string literal: use code(snippet:)")
            }
        }
    }

    @Test("every snippet a lesson asks for is in its folder, and every snippet there is shown")
    func snippetsExistAndAreUsed() throws {
        let shared = try SourceSnippets.snippets(inFolder: repositoryRoot + "/Sources/Course/LessonSupport")
        for folder in lessonFolders {
            let available = try SourceSnippets.snippets(inFolder: folder)
            let texts = swiftFiles(in: folder).map(\.text).joined(separator: "\n")
            var asked = captures(#"code\(\s*snippet:\s*"([^"]+)""#, in: texts)
            for list in captures(#"code\(\s*snippets:\s*\[([^\]]*)\]"#, in: texts) {
                asked += captures(#""([^"]+)""#, in: list)
            }
            let askedShared = captures(#"code\(\s*sharedSnippet:\s*"([^"]+)""#, in: texts)
            #expect(!asked.isEmpty || !askedShared.isEmpty, "\(folder) shows no code")
            for name in asked {
                #expect(available[name] != nil, "\(folder) shows snippet \(name), which is not in its sources")
            }
            for name in askedShared {
                #expect(shared[name] != nil, "\(folder) shows shared snippet \(name), which LessonSupport does not have")
            }
            for name in available.keys {
                #expect(asked.contains(name), "\(folder): snippet \(name) is marked but never shown")
            }
        }
    }

    @Test("lesson 12's racy total is really refused by the compiler, with the words the lesson prints",
          .enabled(if: swiftCompiler() != nil))
    func compilerRefusesTheRacyTotal() throws {
        let folder = repositoryRoot + "/Lessons/lesson12"
        let snippet = try #require(try SourceSnippets.snippets(inFolder: folder)["racy-total"]).text
        let shown = try #require(captures(#"let racyTotalDiagnostic = "([^"]+)""#, in: source(folder + "/Examples.swift")).first)
        // What the snippet needs from ConcurrentFutures, reduced to the signatures it uses: a
        // pool whose `submit` takes a `@Sendable` closure, as `ThreadPoolExecutor.submit` does.
        let stub = """

            final class Pool: Sendable {
                @discardableResult
                func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Int { 0 }
            }
            func withThreadPool<R>(maxWorkers: Int, _ body: (Pool) throws -> R) rethrows -> R { try body(Pool()) }
            """
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("racy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try (snippet + "\n" + stub).write(to: directory.appendingPathComponent("RacyTotal.swift"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: swiftCompiler()!)
        process.arguments = ["-typecheck", "-swift-version", "6", "RacyTotal.swift"]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "the compiler accepted the racy total:\n\(text)")
        #expect(text.contains(shown), "the lesson prints \"\(shown)\"; the compiler says:\n\(text)")

        // And the snippet is fine once the shared variable is behind a lock: the error is the race.
        let fixed = snippet.replacingOccurrences(of: "var total = 0", with: "let total = Box()")
            .replacingOccurrences(of: "total += page.count", with: "total.add(page.count)")
            .replacingOccurrences(of: "return total", with: "return total.value")
        let box = "\nfinal class Box: @unchecked Sendable { var value = 0; func add(_ n: Int) { value += n } }\n"
        try (fixed + stub + box).write(to: directory.appendingPathComponent("RacyTotal.swift"), atomically: true, encoding: .utf8)
        let again = Process()
        again.executableURL = process.executableURL
        again.arguments = process.arguments
        again.currentDirectoryURL = directory
        try again.run()
        again.waitUntilExit()
        #expect(again.terminationStatus == 0, "the stub itself does not compile")
    }
}

/// The Swift compiler on the PATH (or next to `swift` in a toolchain folder), if any.
func swiftCompiler() -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let folders = path.split(separator: ":").map(String.init) + ["/opt/swift/usr/bin", "/usr/bin"]
    for folder in folders {
        let candidate = folder + "/swiftc"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
