import ConcurrentFutures  // LockedValue

/// What must be stopped when a lesson ends before its last line: `q` typed at a `--step` pause,
/// or the end of the one section `--section N` asked for. The lesson then calls `exit`, which
/// would cut its servers' threads off mid-flight; stopping them first lets every thread end and
/// be joined (a thread left running at exit is what ThreadSanitizer reports as a leak).
///
///     EarlyEnd.register(core) { core.stop() }     // when a server starts
///     EarlyEnd.unregister(core)                   // when it stops on its own
///     EarlyEnd.stopEverything()                   // just before exit
enum EarlyEnd {
    private static let stops = LockedValue<[ObjectIdentifier: @Sendable () -> Void]>([:])

    /// Remembers how to stop `owner` if the lesson ends early.
    static func register(_ owner: AnyObject, stop: @escaping @Sendable () -> Void) {
        stops.withLock { $0[ObjectIdentifier(owner)] = stop }
    }

    /// Forgets `owner`: it has stopped by itself.
    static func unregister(_ owner: AnyObject) {
        _ = stops.withLock { $0.removeValue(forKey: ObjectIdentifier(owner)) }
    }

    /// Stops everything still registered (outside the lock: a stop joins threads).
    static func stopEverything() {
        let pending = stops.withLock { stops in
            defer { stops.removeAll() }
            return Array(stops.values)
        }
        for stop in pending { stop() }
    }
}
