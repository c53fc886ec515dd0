import ConcurrentFutures  // LockedValue
import SystemPlatform  // exit

/// The code a lesson shows is read from the lesson's own source files, so that what is on
/// screen is exactly what was compiled and runs.
///
/// A snippet is the lines between two marker comments, in any Swift file of the lesson's
/// folder; the markers themselves are never shown, and the snippet's common indentation is
/// removed:
///
/// ```swift
/// func downloadOneByOne(_ urls: [String]) throws -> [HTTPResponse] {
///     // snippet: one-by-one
///     var pages: [HTTPResponse] = []
///     for url in urls {
///         pages.append(try fetch(url))
///     }
///     // snippet end
///     return pages
/// }
///
/// code(snippet: "one-by-one", python: "...")    // in main.swift
/// ```
///
/// Snippets may nest or overlap; each `// snippet end` closes the innermost open snippet.
public enum SourceSnippets {
    /// The opening marker, followed by the snippet's name.
    public static let startMarker = "// snippet:"
    /// The closing marker.
    public static let endMarker = "// snippet end"

    /// A mistake in the markers of a file.
    public struct MarkerError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Every snippet in `source`, by name.
    public static func snippets(in source: String) throws(MarkerError) -> [String: String] {
        var open: [(name: String, line: Int, lines: [String])] = []
        var finished: [String: String] = [:]
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingSpaces()
            if trimmed.hasPrefix(startMarker) {
                let name = trimmed.dropFirst(startMarker.count).trimmingSpaces()
                guard !name.isEmpty, !name.contains(" ") else {
                    throw MarkerError(line: index + 1, message: "a snippet needs a one-word name: `\(startMarker) name`")
                }
                guard finished[name] == nil, !open.contains(where: { $0.name == name }) else {
                    throw MarkerError(line: index + 1, message: "a second snippet named \(name)")
                }
                open.append((name, index + 1, []))
            } else if trimmed == endMarker {
                guard let last = open.popLast() else {
                    throw MarkerError(line: index + 1, message: "`\(endMarker)` without a snippet to end")
                }
                guard last.lines.contains(where: { !$0.trimmingSpaces().isEmpty }) else {
                    throw MarkerError(line: index + 1, message: "snippet \(last.name) is empty")
                }
                finished[last.name] = dedented(last.lines)
            } else {
                for index in open.indices { open[index].lines.append(String(line)) }
            }
        }
        if let unclosed = open.last {
            throw MarkerError(line: unclosed.line, message: "snippet \(unclosed.name) never ends")
        }
        return finished
    }

    /// Every snippet of the Swift files in `folder`, by name, with the file each is in.
    public static func snippets(inFolder folder: String) throws(FolderError) -> [String: (text: String, file: String)] {
        let files = listDirectory(folder).filter { $0.hasSuffix(".swift") }
        guard !files.isEmpty else { throw FolderError(folder: folder, message: "no Swift files to read") }
        var all: [String: (text: String, file: String)] = [:]
        for file in files {
            let source: [UInt8]
            do { source = try readFile(folder + "/" + file) } catch { throw FolderError(folder: folder, message: "\(file): \(error)") }
            let found: [String: String]
            do { found = try snippets(in: String(decoding: source, as: UTF8.self)) } catch {
                throw FolderError(folder: folder, message: "\(file), \(error)")
            }
            for (name, text) in found {
                if let other = all[name] { throw FolderError(folder: folder, message: "snippet \(name) is in both \(other.file) and \(file)") }
                all[name] = (text, file)
            }
        }
        return all
    }

    /// What went wrong reading the snippets of a folder.
    public struct FolderError: Error, CustomStringConvertible {
        public var folder: String
        public var message: String
        public var description: String { "\(folder): \(message)" }
    }

    /// The text of snippet `name` from the folder of `file` (a `#filePath`), for `code(snippet:)`.
    /// A lesson whose sources are not where it was built (a copied binary) shows where the code
    /// is instead; a snippet that does not exist ends the lesson with a one-line error, because
    /// the lesson itself is wrong.
    static func text(of name: String, besideFile file: String) -> String {
        let directory = folder(of: file)
        let found: [String: (text: String, file: String)]
        do {
            found = try cache.withLock { cache in
                if let known = cache[directory] { return known }
                let read = try snippets(inFolder: directory)
                cache[directory] = read
                return read
            }
        } catch {
            if listDirectory(directory).isEmpty {
                return "// This snippet (\(name)) is in the lesson's sources, in \(directory),\n// which this program cannot read from here."
            }
            writeToStandardError("snippets: \(error)\n")
            exit(1)
        }
        guard let snippet = found[name] else {
            writeToStandardError("snippets: no snippet named \(name) in \(directory) (mark it with `\(startMarker) \(name)` ... `\(endMarker)`)\n")
            exit(1)
        }
        return snippet.text
    }

    private static let cache = LockedValue<[String: [String: (text: String, file: String)]]>([:])

    /// The lines with their common indentation removed and trailing spaces dropped.
    static func dedented(_ lines: [String]) -> String {
        var lines = lines
        while lines.first?.trimmingSpaces().isEmpty == true { lines.removeFirst() }
        while lines.last?.trimmingSpaces().isEmpty == true { lines.removeLast() }
        let indent = lines.filter { !$0.trimmingSpaces().isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { line in
            var text = line.trimmingSpaces().isEmpty ? "" : String(line.dropFirst(indent))
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}
