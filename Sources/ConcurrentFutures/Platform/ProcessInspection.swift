/// What the operating system can tell about this process: where its program is, how much
/// memory it holds, its threads and its children. Lessons show these figures, checks and tests
/// rely on them. Linux answers through `/proc`; macOS through Mach and `sysctl`.
#if canImport(Darwin)
import MachO  // _NSGetExecutablePath (<mach-o/dyld.h>)
#endif

// MARK: - The program

/// The absolute path of the running program. (`CommandLine.arguments[0]` is not good enough:
/// it can be relative, or a bare name found through `PATH`.)
///
/// - Linux: the target of the `/proc/self/exe` link.
/// - macOS: `_NSGetExecutablePath`, then `realpath` to resolve links and `..`.
package func executablePath() -> String? {
    #if canImport(Darwin)
    var size: UInt32 = 0
    _ = _NSGetExecutablePath(nil, &size)  // asks for the size
    var buffer = [CChar](repeating: 0, count: Int(size) + 1)
    guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
    guard let resolved = realpath(buffer, nil) else { return string(fromCString: buffer) }
    defer { free(resolved) }
    return String(cString: resolved)
    #else
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { return nil }
    return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #endif
}

/// The folder of the executable file that holds the code at `address`: pass `#dsohandle` to
/// get the folder of the program (or test bundle) the calling module was linked into. This is
/// where SwiftPM puts every executable product it builds, so a test can find a helper program
/// built from the same package.
///
///     let workerPath = productsDirectory(containing: #dsohandle)! + "/ProcessPoolWorker"
///
/// - Linux: `dladdr` names the test program itself (`<products>/XTests.xctest`), which sits
///   in the products folder.
/// - macOS: `dladdr` names the binary inside the test bundle,
///   `<products>/XTests.xctest/Contents/MacOS/XTests` (the running program is Xcode's `xctest`
///   or SwiftPM's testing helper, elsewhere): the bundle's three levels are removed.
package func productsDirectory(containing address: UnsafeRawPointer) -> String? {
    var info = Dl_info()
    guard dladdr(address, &info) != 0, let file = info.dli_fname else { return nil }
    var components = String(cString: file).split(separator: "/", omittingEmptySubsequences: false).dropLast()
    #if canImport(Darwin)
    if components.count >= 3, components[components.endIndex - 1] == "MacOS",
       components[components.endIndex - 2] == "Contents", components[components.endIndex - 3].hasSuffix(".xctest") {
        components.removeLast(3)
    }
    #endif
    let directory = components.joined(separator: "/")
    guard directory.hasPrefix("/") else {
        // A relative path (a program started as ./name): make it absolute.
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return string(fromCString: buffer) + (directory.isEmpty || directory == "." ? "" : "/" + directory)
    }
    return directory
}

// MARK: - Memory and time

/// The memory this process holds in RAM right now (its resident set size), in bytes; 0 if the
/// system does not say.
///
/// - Linux: the second field of `/proc/self/statm` (pages) times the page size.
/// - macOS: `task_info(MACH_TASK_BASIC_INFO)`'s `resident_size`.
package func residentMemoryBytes() -> Int {
    #if canImport(Darwin)
    var info = mach_task_basic_info()
    var count = mach_msg_type_number_t(MemoryLayout<mach_task_basic_info>.size / MemoryLayout<natural_t>.size)
    let status = withUnsafeMutablePointer(to: &info) {
        $0.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
            task_info(machTaskSelf(), task_flavor_t(MACH_TASK_BASIC_INFO), $0, &count)
        }
    }
    return status == KERN_SUCCESS ? Int(info.resident_size) : 0
    #else
    guard let text = readSmallFile("/proc/self/statm") else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #endif
}

/// Whose resources `resourceUsage` reports.
package enum ResourceUsageScope: Sendable {
    /// This process, all its threads.
    case currentProcess
    /// The child processes that have ended and been collected (`waitpid`).
    case collectedChildren
}

/// CPU time (user + system) and involuntary context switches (times the system took the CPU
/// away to run something else).
///
/// - Linux and macOS: `getrusage(RUSAGE_SELF or RUSAGE_CHILDREN)`. The two constants are plain
///   numbers on macOS and enum cases in glibc; written here, where each system's spelling meets
///   its own `getrusage`, the same line compiles on both.
package func resourceUsage(of scope: ResourceUsageScope) -> (cpu: Duration, involuntarySwitches: Int) {
    var usage = rusage()
    getrusage(scope == .currentProcess ? RUSAGE_SELF : RUSAGE_CHILDREN, &usage)
    let cpu = Duration.seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + .microseconds(Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec))
    return (cpu, Int(usage.ru_nivcsw))
}

// MARK: - Threads

/// What a thread is doing, in the system's words.
package enum ThreadRunState: Sendable, Equatable {
    /// On a CPU, or ready to run.
    case running
    /// Asleep until something happens (a lock, a condition, input, a timer).
    case waiting
    /// Asleep and not to be disturbed, usually for the disk.
    case waitingUninterruptibly
    /// Anything else (stopped, a zombie, ...), with the system's own code for it.
    case other(String)
}

/// One thread of this process.
package struct ThreadSnapshot: Sendable {
    /// The number `currentThreadID()` returns on that thread.
    package let id: UInt64
    /// The name the thread gave itself ("" if none).
    package let name: String
    package let state: ThreadRunState
    /// The kernel function it sleeps in. Linux only (`/proc/<id>/wchan`); `nil` on macOS.
    package let waitChannel: String?
}

/// Every thread of this process, by id.
///
/// - Linux: `/proc/self/task/<id>/{stat,comm,wchan}`.
/// - macOS: `task_threads`, then `thread_info` with `THREAD_IDENTIFIER_INFO` (the id) and
///   `THREAD_EXTENDED_INFO` (the name and the run state) for each thread.
package func threadSnapshots() -> [ThreadSnapshot] {
    #if canImport(Darwin)
    var threads: thread_act_array_t? = nil
    var count: mach_msg_type_number_t = 0
    guard task_threads(machTaskSelf(), &threads, &count) == KERN_SUCCESS, let threads else { return [] }
    defer {
        vm_deallocate(
            machTaskSelf(), vm_address_t(UInt(bitPattern: threads)),
            vm_size_t(Int(count) * MemoryLayout<thread_t>.stride))
    }
    var snapshots: [ThreadSnapshot] = []
    for index in 0..<Int(count) {
        let thread = threads[index]
        defer { mach_port_deallocate(machTaskSelf(), thread) }
        var identifier = thread_identifier_info_data_t()
        var identifierCount = mach_msg_type_number_t(
            MemoryLayout<thread_identifier_info_data_t>.size / MemoryLayout<natural_t>.size)
        let identified = withUnsafeMutablePointer(to: &identifier) {
            $0.withMemoryRebound(to: integer_t.self, capacity: Int(identifierCount)) {
                thread_info(thread, thread_flavor_t(THREAD_IDENTIFIER_INFO), $0, &identifierCount)
            }
        }
        var extended = thread_extended_info_data_t()
        var extendedCount = mach_msg_type_number_t(
            MemoryLayout<thread_extended_info_data_t>.size / MemoryLayout<natural_t>.size)
        let described = withUnsafeMutablePointer(to: &extended) {
            $0.withMemoryRebound(to: integer_t.self, capacity: Int(extendedCount)) {
                thread_info(thread, thread_flavor_t(THREAD_EXTENDED_INFO), $0, &extendedCount)
            }
        }
        guard identified == KERN_SUCCESS, described == KERN_SUCCESS else { continue }
        let name = withUnsafeBytes(of: extended.pth_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let state: ThreadRunState = switch extended.pth_run_state {
        case TH_STATE_RUNNING: .running
        case TH_STATE_WAITING: .waiting
        case TH_STATE_UNINTERRUPTIBLE: .waitingUninterruptibly
        default: .other("run state \(extended.pth_run_state)")
        }
        snapshots.append(ThreadSnapshot(id: identifier.thread_id, name: name, state: state, waitChannel: nil))
    }
    return snapshots.sorted { $0.id < $1.id }
    #else
    return listDirectory("/proc/self/task").compactMap { UInt64($0) }.sorted().compactMap(linuxThreadSnapshot)
    #endif
}

/// The thread with this id, if this process still has it.
package func threadSnapshot(id: UInt64) -> ThreadSnapshot? {
    #if canImport(Darwin)
    return threadSnapshots().first { $0.id == id }
    #else
    return linuxThreadSnapshot(id)
    #endif
}

/// How many threads this process has right now.
///
/// - Linux: the entries of `/proc/self/task`.
/// - macOS: the count `task_threads` returns.
package func threadCount() -> Int {
    #if canImport(Darwin)
    var threads: thread_act_array_t? = nil
    var count: mach_msg_type_number_t = 0
    guard task_threads(machTaskSelf(), &threads, &count) == KERN_SUCCESS, let threads else { return -1 }
    for index in 0..<Int(count) { mach_port_deallocate(machTaskSelf(), threads[index]) }
    vm_deallocate(
        machTaskSelf(), vm_address_t(UInt(bitPattern: threads)),
        vm_size_t(Int(count) * MemoryLayout<thread_t>.stride))
    return Int(count)
    #else
    return listDirectory("/proc/self/task").count
    #endif
}

#if !canImport(Darwin)
/// Linux: a thread's line in `/proc/self/task/<id>/stat` is "<id> (<name>) <state> ...", where
/// the name may hold spaces and parentheses: the state follows the last ')'.
private func linuxThreadSnapshot(_ id: UInt64) -> ThreadSnapshot? {
    let directory = "/proc/self/task/\(id)"
    guard let stat = readSmallFile(directory + "/stat"), let close = stat.lastIndex(of: ")") else { return nil }
    let code = stat[stat.index(after: close)...].split(separator: " ").first.map(String.init) ?? "?"
    let state: ThreadRunState = switch code {
    case "R": .running
    case "S": .waiting
    case "D": .waitingUninterruptibly
    default: .other(code)
    }
    let name = readSmallFile(directory + "/comm").map(trimmingNewline) ?? ""
    let channel = readSmallFile(directory + "/wchan").map(trimmingNewline)
    return ThreadSnapshot(
        id: id, name: name, state: state, waitChannel: channel == "0" || channel == "" ? nil : channel)
}
#endif

// MARK: - Child processes

/// What became of a child process, as far as `waitpid` is concerned.
package enum ChildProcessState: Sendable, Equatable {
    /// It is running (or stopped).
    case alive
    /// It has ended, and nobody has collected its exit status yet: a zombie.
    case zombie
    /// It has been collected (there is no such process any more), or it is not our child.
    case collected
}

/// Whether `pid`, a child of this process, is alive, a zombie, or collected.
///
/// - Linux: the state and parent fields of `/proc/<pid>/stat`.
/// - macOS: `sysctl(CTL_KERN, KERN_PROC, KERN_PROC_PID, pid)`: `kp_proc.p_stat` (`SZOMB`) and
///   `kp_eproc.e_ppid`.
package func childProcessState(_ pid: pid_t) -> ChildProcessState {
    #if canImport(Darwin)
    var info = kinfo_proc()
    var size = MemoryLayout<kinfo_proc>.stride
    var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
    guard sysctl(&name, UInt32(name.count), &info, &size, nil, 0) == 0, size > 0,
          info.kp_eproc.e_ppid == getpid()
    else { return .collected }
    return Int32(info.kp_proc.p_stat) == SZOMB ? .zombie : .alive
    #else
    guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return .collected }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 1, Int32(fields[1]) == getpid() else { return .collected }
    return fields[0] == "Z" ? .zombie : .alive
    #endif
}

// MARK: - Signals, sanitizers, standard output

/// What this process does on `signal`: `0` for the default action, `1` for "ignore", else the
/// address of its handler.
///
/// - Linux: `sigaction`'s `__sigaction_handler`. macOS: its `__sigaction_u`.
package func signalHandlerAddress(_ signal: Int32) -> Int {
    var action = sigaction()
    sigaction(signal, nil, &action)
    #if canImport(Darwin)
    return unsafeBitCast(action.__sigaction_u, to: Int.self)
    #else
    return unsafeBitCast(action.__sigaction_handler, to: Int.self)
    #endif
}

/// Whether some image loaded in this process defines the symbol `name`.
///
/// - Linux: `dlsym(RTLD_DEFAULT, name)`; glibc's `RTLD_DEFAULT` is the null handle.
/// - macOS: the same; there `RTLD_DEFAULT` is the handle `-2`, and a null handle is refused.
package func isSymbolLoaded(_ name: String) -> Bool {
    dlsym(defaultSymbolScope, name) != nil
}

/// Whether the program was built with ThreadSanitizer (`swift build --sanitize=thread`).
package var runsUnderThreadSanitizer: Bool { isSymbolLoaded("__tsan_init") }
/// Whether the program was built with AddressSanitizer (`swift build --sanitize=address`).
package var runsUnderAddressSanitizer: Bool { isSymbolLoaded("__asan_init") }

/// Makes standard output line-buffered, so that what a program printed before it crashed is not
/// lost in a buffer (standard output written to a file or a pipe is fully buffered).
///
/// Swift 6 refuses to touch the C global `stdout` (shared mutable state), so its value is read
/// through the dynamic linker.
/// - Linux: the symbol `stdout`. macOS: `__stdoutp` (`stdout` is a macro for it there).
package func lineBufferStandardOutput() {
    #if canImport(Darwin)
    let symbol = dlsym(defaultSymbolScope, "__stdoutp")
    #else
    let symbol = dlsym(defaultSymbolScope, "stdout")
    #endif
    if let symbol, let standardOutput = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee {
        setvbuf(standardOutput, nil, _IOLBF, 0)
    }
}

#if canImport(Darwin)
/// macOS: the port that names this task (process) to Mach. C code writes `mach_task_self()`,
/// a macro over the global variable `mach_task_self_`; Swift 6 refuses to read a C global
/// variable (shared mutable state), so its value is read through the dynamic linker, as
/// `lineBufferStandardOutput` does for `stdout`. It never changes once the process runs.
private func machTaskSelf() -> mach_port_t {
    guard let symbol = dlsym(defaultSymbolScope, "mach_task_self_") else { return mach_port_t(MACH_PORT_NULL) }
    return symbol.assumingMemoryBound(to: mach_port_t.self).pointee
}
#endif

/// `RTLD_DEFAULT`: look a symbol up in every image loaded.
private var defaultSymbolScope: UnsafeMutableRawPointer? {
    #if canImport(Darwin)
    UnsafeMutableRawPointer(bitPattern: -2)
    #else
    nil
    #endif
}

// MARK: - Reading /proc (Linux)

#if !canImport(Darwin)
/// The text of a small file such as `/proc/self/statm`; `nil` if it cannot be read.
private func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 { bytes += buffer[..<count] } else if count == 0 || errno != EINTR { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The names in a folder, without "." and "..".
private func listDirectory(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

private func trimmingNewline(_ text: String) -> String {
    text.hasSuffix("\n") ? String(text.dropLast()) : text
}
#endif
