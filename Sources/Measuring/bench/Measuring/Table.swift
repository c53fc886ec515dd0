/// Prints the results as a plain-text table: one block per suite, one line per row.
///
///     submit — submit + result of 1,000,000 trivial tasks, 2 workers
///       what                          median   min–max          unit      ratios
///       ThreadPoolExecutor, 2 workers 482 k    455 k – 510 k    tasks/s   0.58× GCD async+group · 14× CPython
///         note: ...
///
/// A ratio says how many times faster the row is than the named peer (see `Ratio`).
func printTable(_ reports: [SuiteReport]) {
    let allRows = reports.flatMap(\.rows)
    let whatWidth = max(4, allRows.map { $0.what.count }.max() ?? 0)
    let medianWidth = max(6, allRows.map { medianText($0).count }.max() ?? 0)
    let rangeWidth = max(7, allRows.map { rangeText($0).count }.max() ?? 0)
    let unitWidth = max(4, allRows.map { $0.unit.rawValue.count }.max() ?? 0)

    func line(_ what: String, _ median: String, _ range: String, _ unit: String, _ ratios: String) -> String {
        let text = "  " + what.padded(whatWidth) + "  " + median.padded(medianWidth, right: true) + "  "
            + range.padded(rangeWidth) + "  " + unit.padded(unitWidth) + "  " + ratios
        return String(text.reversed().drop { $0 == " " }.reversed())  // no trailing spaces
    }

    for report in reports {
        print("")
        print("\(report.suite) — \(report.title)")
        print(line("what", "median", "min–max", "unit", "ratios (× = times faster than)"))
        for row in report.rows {
            let ratios = row.ratios.map { "\(ratioText($0.summary.median))× \($0.label)" }
            print(line(row.what, medianText(row), rangeText(row), row.unit.rawValue, ratios.joined(separator: " · ")))
            if let note = row.note { print("      note: \(note)") }
        }
        for note in report.notes { print("  · \(note)") }
    }
}

private func medianText(_ row: Row) -> String {
    row.summary.map { formatted($0.median, row.unit) } ?? "n/a"
}

private func rangeText(_ row: Row) -> String {
    row.summary.map { "\(formatted($0.min, row.unit)) – \(formatted($0.max, row.unit))" } ?? ""
}

/// A measurement in its unit, to about three significant digits: "482 k", "1.23 M", "8.41",
/// "0.512", "+1.4".
func formatted(_ value: Double, _ unit: Unit) -> String {
    switch unit {
    case .tasksPerSecond, .itemsPerSecond:
        if value >= 1e6 { return significant(value / 1e6) + " M" }
        if value >= 1e3 { return significant(value / 1e3) + " k" }
        return significant(value)
    case .percent:
        return (value >= 0 ? "+" : "") + fixed(value, decimals: 1)
    case .microseconds, .milliseconds, .seconds, .factor:
        return significant(value)
    }
}

/// A ratio with two decimals below 10, none above, and two significant digits when small:
/// "1.93", "14", "230", "0.58", "0.0041".
func ratioText(_ ratio: Double) -> String {
    if ratio >= 10 { return fixed(ratio, decimals: 0) }
    if ratio >= 0.1 { return fixed(ratio, decimals: 2) }
    var decimals = 2
    var scaled = ratio
    while scaled < 0.1 && scaled > 0 && decimals < 8 {
        scaled *= 10
        decimals += 1
    }
    return fixed(ratio, decimals: decimals)
}

/// About three significant digits: 1234 → "1234", 123.4 → "123", 12.34 → "12.3", 0.01234 → "0.0123".
func significant(_ value: Double) -> String {
    let magnitude = abs(value)
    let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : 4
    return fixed(value, decimals: decimals)
}

/// `value` with exactly `decimals` digits after the point (`String(format:)` is not in
/// FoundationEssentials, and this is all the bench needs).
func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(whole) }
    let digits = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
}

extension String {
    /// Padded with spaces to `width` characters, on the right (or on the left for numbers).
    func padded(_ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - count))
        return right ? padding + self : self + padding
    }
}
