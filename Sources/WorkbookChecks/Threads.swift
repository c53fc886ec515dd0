import Foundation
import Glibc

// What Linux says about the threads of this process, through /proc: the watchdog uses it to
// tell a thread that waits from one that spins, and checks use it to see that a pool's threads
// are gone.

/// The kernel's id of the calling thread (what `gettid()` returns; that function is hidden by
/// Glibc's module map, so it is read from the /proc/thread-self link: "<pid>/task/<tid>").
public func currentThreadID() -> Int32 {
    var buffer = [CChar](repeating: 0, count: 64)
    let length = readlink("/proc/thread-self", &buffer, buffer.count - 1)
    guard length > 0 else { return -1 }
    let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return Int32(link.split(separator: "/").last ?? "") ?? -1
}

func currentThreadKey() -> String { "\(currentThreadID())" }

/// `true` if this process still has a thread with that id.
public func threadExists(_ id: Int32) -> Bool {
    access("/proc/self/task/\(id)", F_OK) == 0
}

/// A thread of this process, as /proc shows it.
struct ThreadSnapshot {
    let id: Int32
    /// The name the thread gave itself (at most 15 bytes on Linux).
    let name: String
    /// "R" running, "S" sleeping (waiting), "D" waiting for the disk, ...
    let state: String
    /// The kernel function it sleeps in, when the kernel tells.
    let waitChannel: String?

    var isRunning: Bool { state == "R" }

    /// "running on a CPU" / "sleeping (waiting on a lock or a condition: futex_wait_queue)"
    var activity: String {
        switch state {
        case "R":
            return "running, using a CPU (busy: a loop that does not end?)"
        case "S", "D":
            let channel = waitChannel ?? ""
            if channel.contains("futex") {
                return "sleeping on a lock or a condition (\(channel)): waiting for a future, a lock or a semaphore"
            }
            if channel.contains("nanosleep") {
                return "sleeping in a timed sleep (\(channel))"
            }
            if channel.contains("poll") || channel.contains("select") || channel.contains("read") || channel.contains("wait") {
                return "waiting for input or a child process (\(channel))"
            }
            return "sleeping" + (channel.isEmpty ? "" : " (\(channel))")
        default:
            return "state \(state)"
        }
    }
}

/// Reads what /proc says about one thread; `nil` if it is gone.
func snapshotThread(_ id: Int32) -> ThreadSnapshot? {
    let directory = "/proc/self/task/\(id)"
    guard let stat = try? String(contentsOfFile: directory + "/stat", encoding: .utf8) else { return nil }
    // "tid (name) S ...": the name may contain spaces and parentheses; the state follows the last ')'.
    guard let close = stat.lastIndex(of: ")") else { return nil }
    let afterName = stat[stat.index(after: close)...].split(separator: " ")
    let state = afterName.first.map(String.init) ?? "?"
    let name = (try? String(contentsOfFile: directory + "/comm", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    var channel = (try? String(contentsOfFile: directory + "/wchan", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if channel == "0" || channel == "" { channel = nil }
    return ThreadSnapshot(id: id, name: name, state: state, waitChannel: channel)
}

/// Every thread of this process.
func allThreads() -> [ThreadSnapshot] {
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return ids.compactMap { Int32($0) }.sorted().compactMap(snapshotThread)
}
