import ConcurrentFutures

/// The state of a future in Python's words: "pending" (queued), "running", "finished"
/// (returned or threw) or "cancelled". Read through the public properties, so it never blocks.
///
///     print(stateName(future))      // Python: future._state, e.g. "RUNNING"
public func stateName<Value>(_ future: Future<Value>) -> String {
    if future.isCancelled { return "cancelled" }
    if future.isRunning { return "running" }
    if future.isDone { return "finished" }
    return "pending"
}

/// A future as `print` shows it, with its memory address cut short to fit the screen:
/// `<Future<Int> at 0x5f3a… state=running>`.
public func shortDescription(_ future: some FutureProtocol) -> String {
    withShortAddresses("\(future)")
}

/// `text` with every memory address ("0x5c2aaae75a4fb358") cut to its first four digits
/// ("0x5c2a…"): an address differs from run to run and says nothing to a reader.
public func withShortAddresses(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let marker = rest.firstRange(of: "0x") {
        result += rest[..<marker.upperBound]
        let digits = rest[marker.upperBound...].prefix { $0.isHexDigit }
        result += digits.count > 4 ? digits.prefix(4) + "…" : digits
        rest = rest[digits.endIndex...]
    }
    return result + rest
}
