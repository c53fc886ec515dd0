/// Starting another program: `posix_spawn` with exactly the descriptors it should have.

/// What one descriptor of a new program is.
package enum ChildDescriptor: Sendable {
    /// The same as this process's descriptor of that number (say, its standard error).
    case inherited
    /// `/dev/null`, opened for reading and writing.
    case nullDevice
    /// A copy of this process's descriptor `parent`.
    case copy(of: Int32)
}

/// Starts `executable` with `arguments` (the program's name first, as `argv[0]`) and
/// `environment` ("NAME=value" strings), and returns its pid, or the error number with which
/// `posix_spawn` failed.
///
/// The program gets descriptors `0..<descriptors.count`, each as `descriptors` says, and no
/// other: every other descriptor of this process is closed in it, whatever its close-on-exec
/// flag (so a descriptor made by another thread at the same moment cannot leak into it).
/// Signals are reset to their default actions and none is blocked: a signal this program
/// ignores or blocks would otherwise stay ignored or blocked in the new one.
///
///     let pid = try spawnProcess(
///         executable: "/usr/bin/env", arguments: ["env"], environment: [],
///         descriptors: [.nullDevice, .copy(of: pipeWriter), .inherited]).get()
///
/// - Linux: file actions `adddup2`/`addopen` for the descriptors, then
///   `posix_spawn_file_actions_addclosefrom_np(count)` (glibc 2.34) for the rest.
/// - macOS: the same file actions (`posix_spawn_file_actions_addinherit_np` for `.inherited`),
///   and the flag `POSIX_SPAWN_CLOEXEC_DEFAULT`, which closes every descriptor that no file
///   action names. SIGKILL and SIGSTOP are left out of the signals to reset, as SwiftPM does.
package func spawnProcess(
    executable: String, arguments: [String], environment: [String], descriptors: [ChildDescriptor]
) -> Result<pid_t, SpawnError> {
    #if canImport(Darwin)
    var fileActions: posix_spawn_file_actions_t? = nil
    var attributes: posix_spawnattr_t? = nil
    #else
    var fileActions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    #endif
    posix_spawn_file_actions_init(&fileActions)
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }

    for (number, descriptor) in descriptors.enumerated() {
        let child = Int32(number)
        switch descriptor {
        case .inherited:
            #if canImport(Darwin)
            posix_spawn_file_actions_addinherit_np(&fileActions, child)
            #else
            break  // kept unless it is close-on-exec; closefrom starts above it
            #endif
        case .nullDevice:
            posix_spawn_file_actions_addopen(&fileActions, child, "/dev/null", O_RDWR, 0)
        case .copy(let parent):
            posix_spawn_file_actions_adddup2(&fileActions, parent, child)
        }
    }

    var defaultSignals = sigset_t()
    sigfillset(&defaultSignals)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    #if canImport(Darwin)
    sigdelset(&defaultSignals, SIGKILL)
    sigdelset(&defaultSignals, SIGSTOP)
    let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_CLOEXEC_DEFAULT
    #else
    posix_spawn_file_actions_addclosefrom_np(&fileActions, Int32(descriptors.count))
    let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
    #endif
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setflags(&attributes, Int16(flags))

    // argv and envp as C needs them: arrays of C strings ending with a null pointer.
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
    return status == 0 ? .success(pid) : .failure(SpawnError(executable: executable, code: status))
}

/// Why a program could not be started.
package struct SpawnError: Error, CustomStringConvertible {
    package let executable: String
    /// The error number `posix_spawn` returned (`ENOENT`, `EACCES`, ...).
    package let code: Int32
    package var description: String { "posix_spawn \(executable) failed: \(String(cString: strerror(code)))" }
}

/// This process's environment, as "NAME=value" strings.
///
/// - Linux: the C library's `environ` (the Glibc module's `__environ`).
/// - macOS: `environ`, which Swift's Darwin overlay provides on top of `_NSGetEnviron()` (C
///   libraries on macOS cannot link `environ` directly, see environ(7)).
package func currentEnvironment() -> [String] {
    var entry = environ
    var variables: [String] = []
    while let variable = entry.pointee {
        variables.append(String(cString: variable))
        entry += 1
    }
    return variables
}
