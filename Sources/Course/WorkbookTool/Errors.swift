import Foundation
import SystemPlatform

/// A command line the tool does not understand: one line, then where to look, exit status 2.
///
///     workbook: error: unknown command "frobnicate"; see `swift run workbook --help`
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A file or folder that is not what the tool needs (a report folder, an `--output` path, the
/// progress file): one line naming it and the reason, exit status 2. The full usage would not
/// help here, so it is not printed.
///
///     workbook: error: cannot write reports/me.json: the folder reports does not exist
struct InputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Where a usage error points the learner.
let seeHelp = "see `swift run workbook --help`"

/// One line for any error: what `workbook: error:` is followed by. Foundation's file errors
/// print as a dictionary dump (`Error Domain=NSCocoaErrorDomain Code=4 ...`); what matters in
/// them is the operating system's reason ("No such file or directory"), so that is what we keep.
func oneLine(_ error: any Error) -> String {
    switch error {
    case let usage as UsageError: return "\(usage.message); \(seeHelp)"
    case let input as InputError: return input.message
    default: return fileSystemReason(error) ?? String(describing: error).replacingOccurrences(of: "\n", with: " ")
    }
}

/// The reason of a failed file operation, as the operating system words it, in lower case:
/// "no such file or directory", "permission denied", "is a directory". Nil if `error` is not
/// a file error that carries one.
func fileSystemReason(_ error: any Error) -> String? {
    let error = error as NSError
    if error.domain == NSPOSIXErrorDomain { return posixReason(Int32(error.code)) }
    // On Linux the underlying error may be kept as a Swift error rather than an NSError.
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
        let underlying = underlying as NSError
        if underlying.domain == NSPOSIXErrorDomain { return posixReason(Int32(underlying.code)) }
    }
    return nil
}

private func posixReason(_ code: Int32) -> String {
    String(cString: strerror(code)).lowercased()
}
