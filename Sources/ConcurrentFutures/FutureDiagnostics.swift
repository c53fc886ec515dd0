import SystemPlatform

/// Where the library reports problems that have no caller to throw to: a done-callback that
/// threw, a worker initializer that failed, a task's error that nobody ever looked at. By
/// default each report is one line on standard error; tests and tools can install their own
/// handler.
///
/// Python logs these through the `concurrent.futures` logger
/// ("exception calling callback for <Future ...>", "Exception in initializer:").
///
///     FutureDiagnostics.setHandler { report in myLog.append(report.message) }
///     FutureDiagnostics.setHandler(nil)   // back to standard error
public enum FutureDiagnostics {
    /// One problem, as reported.
    public struct Report: Sendable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// A done-callback threw.
            case callbackError
            /// A worker's initializer threw; the pool is now broken.
            case initializerError
            /// A task's result was thrown away because someone had already set its future's result.
            case discardedResult
            /// A future failed and was released without anyone reading its error (through
            /// `result`, `exception`, `value` or a done-callback).
            case errorNeverRetrieved
        }
        public let kind: Kind
        /// The error involved.
        public let error: any Error
        /// What it concerns: a future's or a pool's description.
        public let subject: String
        /// The line printed by the default handler.
        public var message: String {
            switch kind {
            case .callbackError: "ConcurrentFutures: exception calling callback for \(subject): \(error)"
            case .initializerError: "ConcurrentFutures: exception in initializer of \(subject): \(error)"
            case .discardedResult: "ConcurrentFutures: the result of a task was discarded, its future \(subject) was already done: \(error)"
            case .errorNeverRetrieved: "ConcurrentFutures: error never retrieved from \(subject): \(error)"
            }
        }
        public var description: String { message }
    }

    public typealias Handler = @Sendable (Report) -> Void

    private static let handler = LockedValue<Handler?>(nil)

    /// Replaces the handler for every report; `nil` restores the default (standard error).
    public static func setHandler(_ newHandler: Handler?) {
        handler.withLock { $0 = newHandler }
    }

    private static let unretrievedErrorReports = LockedValue(true)

    /// Whether a failed future that is released without anyone having read its error is
    /// reported (`Report.Kind.errorNeverRetrieved`). On by default, like asyncio's
    /// "Future exception was never retrieved".
    ///
    ///     FutureDiagnostics.reportsUnretrievedErrors = false
    public static var reportsUnretrievedErrors: Bool {
        get { unretrievedErrorReports.withLock { $0 } }
        set { unretrievedErrorReports.withLock { $0 = newValue } }
    }

    static func report(_ kind: Report.Kind, error: any Error, subject: String) {
        let report = Report(kind: kind, error: error, subject: subject)
        if let installed = handler.withLock({ $0 }) {
            installed(report)  // called outside the lock: a handler may replace the handler
        } else {
            printToStandardError(report.message)
        }
    }

    /// Writes one line to standard error with a single `write`, so lines from several threads
    /// do not interleave. (`fputs(_, stderr)` touches a C global that Swift 6 rejects as unsafe.)
    static func printToStandardError(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            _ = writeToStandardError(buffer)
        }
    }
}

/// `write(2, ...)`, from a scope where `write` means the C function.
private func writeToStandardError(_ bytes: UnsafeMutableRawBufferPointer) -> Int {
    write(2, bytes.baseAddress, bytes.count)
}
