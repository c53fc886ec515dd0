// The bench links only the essentials of Foundation where that is its own library (Linux: see
// `runProcess`); macOS ships Foundation as one system framework.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPlatform

/// CPython's `concurrent.futures` as a peer: the scripts in `Sources/bench/python`, run with
/// `python3`, one run per round, alternating with the Swift programs.
///
/// Each script times its own workload (after creating and warming up its pool) and prints one
/// JSON object on its last line of output:
///
///     {"metrics": {"rate": 41234.5, "seconds": 2.43}, "check": "python 3.11.7"}
///
/// so the start-up of the interpreter is never counted, only the work, as for the Swift programs.
struct PythonPeers {
    /// The `python3` to run, if one was found.
    let interpreter: String?
    /// The folder with the scripts, if it was found.
    let scriptsFolder: String?
    /// Why the Python peers are skipped (`nil` when they can run).
    let unavailable: String?

    /// Finds `python3` on `PATH` and the scripts next to the bench's sources.
    ///
    /// The scripts are found through `#filePath`, the path this source file had when it was
    /// compiled: the bench is meant to run from the package checkout it was built in
    /// (`swift run -c release bench`). A copied binary finds no scripts and says so.
    static func locate() -> PythonPeers {
        // #filePath: .../Sources/Measuring/bench/Measuring/PythonPeers.swift → .../bench/python
        let benchFolder = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
            .dropLast(2).joined(separator: "/")
        let scripts = benchFolder + "/python"
        let interpreter = findOnPath("python3")
        let reason: String? =
            if interpreter == nil {
                "python3 not found on PATH: CPython peers skipped"
            } else if access(scripts + "/thread_pool.py", R_OK) != 0 {
                "the Python scripts were not found at \(scripts) (run the bench from the package checkout "
                    + "it was built in): CPython peers skipped"
            } else {
                nil
            }
        return PythonPeers(
            interpreter: interpreter, scriptsFolder: reason == nil ? scripts : nil, unavailable: reason)
    }

    /// A program for `alternate` that runs `script` with `arguments` and returns its metrics,
    /// after passing them through `adjust` (to scale a time measured on part of the work, say).
    /// `check` can look at the script's "check" text (the word counter compares its top ten).
    func program(
        key: String, name: String, script: String, arguments: [String],
        adjust: @escaping ([String: Double]) -> [String: Double] = { $0 },
        check: ((String?) throws -> Void)? = nil
    ) -> Program {
        Program(
            key: key, name: name,
            measure: {
                let result = try run(script: script, arguments: arguments)
                try check?(result.check)
                return adjust(result.metrics)
            },
            unavailable: unavailable)
    }

    /// What a script printed on its last line.
    struct Result: Decodable {
        var metrics: [String: Double]
        var check: String?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3 <scripts>/<script> <arguments...>` and decodes its last line of output.
    func run(script: String, arguments: [String]) throws -> Result {
        guard let interpreter, let scriptsFolder else {
            throw Failure(description: unavailable ?? "python peers unavailable")
        }
        let path = scriptsFolder + "/" + script
        let (status, output) = try runProcess(interpreter, [path] + arguments)
        guard status == 0 else {
            throw Failure(description: "\(script) \(arguments.joined(separator: " ")) exited with status \(status)")
        }
        guard let lastLine = output.split(separator: "\n").last else {
            throw Failure(description: "\(script) printed nothing")
        }
        do {
            return try JSONDecoder().decode(Result.self, from: Data(lastLine.utf8))
        } catch {
            throw Failure(description: "\(script) printed \(lastLine.prefix(200)), not its JSON result: \(error)")
        }
    }
}

/// The first executable file called `name` in the folders of `PATH`.
private func findOnPath(_ name: String) -> String? {
    guard let path = getenv("PATH") else { return nil }
    for folder in String(cString: path).split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// Runs `executable` with `arguments`, waits for it, and returns its exit status and standard
/// output. Its standard error goes to ours, so a Python traceback is seen as it happens.
///
/// (Foundation's `Process` does this too, but it lives in the full Foundation library, and the
/// bench links only `FoundationEssentials`: the bench binary is also the process pool's worker,
/// and every library it links makes each worker start slower.)
func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }
    // Close-on-exec: other children (process pool workers) must not inherit them. The child
    // gets a copy of the writing end as its standard output.
    var pipeEnds: [Int32] = [-1, -1]
    guard makePipe(&pipeEnds) == 0 else { throw SpawnError(description: "pipe failed: errno \(errno)") }
    let (reader, writer) = (pipeEnds[0], pipeEnds[1])
    let spawned = spawnProcess(
        executable: executable, arguments: [executable] + arguments, environment: currentEnvironment(),
        descriptors: [.inherited, .copy(of: writer), .inherited])
    close(writer)
    let pid: pid_t
    switch spawned {
    case .success(let started):
        pid = started
    case .failure(let error):
        close(reader)
        throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(error.code)))")
    }

    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        if count > 0 {
            output += buffer[..<count]
        } else if count == 0 || errno != EINTR {
            break
        }
    }
    close(reader)

    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // Decoded by hand: WIFEXITED and WEXITSTATUS are C macros that Swift does not import.
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exitCode, String(decoding: output, as: UTF8.self))
}
