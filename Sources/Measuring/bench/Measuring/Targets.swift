/// The performance targets of issues #6 and #13, checked against the rows of this run.
///
/// Every target is a ratio or a value from one run of the release build, so that a slow moment
/// of the machine moves both sides of a ratio alike. Each prints PASS or FAIL with the measured
/// median, or "n/a" with the reason (suite not run, peer unavailable, ...).
struct Target {
    /// What is checked, as the table shows it: "submit+result vs CPython".
    var name: String
    /// The requirement: "≥ 20×".
    var requirement: String
    /// The suite whose rows it reads.
    var suite: String
    var evaluate: (_ rows: [String: Row]) -> Evaluation
}

enum Evaluation {
    /// The measured value as text ("14×"), and whether it meets the target.
    case measured(String, passed: Bool)
    /// Not measured, and why.
    case notAvailable(String)
}

/// One target's outcome, as printed and as written to JSON.
struct TargetResult: Codable {
    var target: String
    var requirement: String
    /// "PASS", "FAIL" or "n/a".
    var status: String
    /// The measured value, or why there is none.
    var detail: String
}

/// The targets of issue #6, then those of issue #13 (scaling with cores).
var allTargets: [Target] {
    [
        ratioTarget("submit+result vs CPython", "≥ 20×", row: "submit.ours.rate", peer: "cpython", atLeast: 20),
        ratioTarget("submit+result vs GCD async+group", "≥ 1.0×", row: "submit.ours.rate", peer: "gcd", atLeast: 1.0),
        ratioTarget("map vs CPython", "≥ 20×", row: "map.ours.rate", peer: "cpython", atLeast: 20),
        ratioTarget("map vs GCD async+group", "≥ 1.0×", row: "map.ours.rate", peer: "gcd", atLeast: 1.0),
        valueTarget("round trip p50", "≤ 10 µs", row: "latency.ours.p50", atMost: 10, unit: " µs"),
        valueTarget(
            "asCompleted: 100k time ÷ 10k time", "≤ 12", row: "ascompleted.ours-100k.growth", atMost: 12, unit: ""),
        ratioTarget(
            "asCompleted 10k vs CPython", "≥ 20×", row: "ascompleted.ours-10k.rate", peer: "cpython", atLeast: 20),
        ratioTarget(
            "asCompleted 100k vs CPython", "≥ 20×", row: "ascompleted.ours-100k.rate", peer: "cpython", atLeast: 20),
        ratioTarget(
            "CPU-bound map, 2 workers vs sequential", "≥ 1.85×", row: "cpu.ours-2.seconds", peer: "sequential",
            atLeast: 1.85),
        ratioTarget(
            "word counter, 2 workers vs CPython's fastest", "≥ 20×", row: "wordcount.ours-2.seconds",
            peer: "cpython-fastest", atLeast: 20),
        ratioTarget(
            "word counter, speed-up 1 → 2 workers", "≥ 1.7×", row: "wordcount.ours-2.seconds", peer: "ours-1",
            atLeast: 1.7),
        observerTarget(),
        worstRatioTarget(
            "scaling: submit+result, 1 submitter, at every worker count vs GCD", "≥ 1.0×",
            rows: "scaling.submit-", peer: "gcd", atLeast: 1.0),
        worstRatioTarget(
            "scaling: map chunk 1, at every worker count vs GCD", "≥ 1.0×", rows: "scaling.map-", peer: "gcd",
            atLeast: 1.0),
        worstRatioTarget(
            "scaling: n submitters and n workers vs GCD with n submitters", "≥ 1.0×", rows: "scaling.nsub-",
            peer: "gcd", atLeast: 1.0),
        worstRatioTarget(
            "scaling: more workers never slower than 1 worker", "≥ 1.0×", rows: "scaling.", peer: "one-worker",
            atLeast: 1.0),
        valueTarget("scaling: idle pool of one worker per core, CPU", "≤ 1 %", row: "scaling.idle.cpu", atMost: 1, unit: " %"),
    ]
}

/// Checks every target against `rows` (the rows of the suites that ran).
func checkTargets(_ rows: [Row], suitesRun: Set<String>) -> [TargetResult] {
    let byKey = Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    return allTargets.map { target in
        let evaluation: Evaluation =
            suitesRun.contains(target.suite)
            ? target.evaluate(byKey) : .notAvailable("suite \(target.suite) not run")
        switch evaluation {
        case .measured(let value, let passed):
            return TargetResult(
                target: target.name, requirement: target.requirement, status: passed ? "PASS" : "FAIL", detail: value)
        case .notAvailable(let reason):
            return TargetResult(target: target.name, requirement: target.requirement, status: "n/a", detail: reason)
        }
    }
}

/// Prints the "Targets" section under the table.
func printTargets(_ results: [TargetResult]) {
    print("")
    print("Targets (ratios from this run; a shared machine: measured under load)")
    let nameWidth = results.map { ($0.target + " " + $0.requirement).count }.max() ?? 0
    for result in results {
        print("  " + result.status.padded(4) + "  " + (result.target + " " + result.requirement).padded(nameWidth)
              + "  " + result.detail)
    }
}

// MARK: - Kinds of targets

/// A row's ratio against a peer must be at least `atLeast`.
private func ratioTarget(_ name: String, _ requirement: String, row key: String, peer: String, atLeast: Double) -> Target {
    Target(name: name, requirement: requirement, suite: suiteName(of: key)) { rows in
        guard let row = rows[key] else { return .notAvailable("no row \(key)") }
        guard let ratio = row.ratio(peer) else {
            let why = row.summary == nil ? (row.note ?? "not measured") : "the peer was not measured (see its row)"
            return .notAvailable(why)
        }
        let range = "\(ratioText(ratio.summary.min))–\(ratioText(ratio.summary.max))"
        return .measured(
            "\(ratioText(ratio.summary.median))× \(ratio.label) (rounds: \(range))",
            passed: ratio.summary.median >= atLeast)
    }
}

/// Every row whose key starts with `prefix` and has a ratio against `peer` must reach `atLeast`:
/// the worst of them (by median) is shown.
private func worstRatioTarget(
    _ name: String, _ requirement: String, rows prefix: String, peer: String, atLeast: Double
) -> Target {
    Target(name: name, requirement: requirement, suite: suiteName(of: prefix)) { rows in
        let compared = rows.values.filter { $0.key.hasPrefix(prefix) }.compactMap { row in
            row.ratio(peer).map { (row: row, ratio: $0) }
        }
        guard let worst = compared.min(by: { $0.ratio.summary.median < $1.ratio.summary.median }) else {
            return .notAvailable("no row \(prefix)… with a ratio against \(peer)")
        }
        let summary = worst.ratio.summary
        return .measured(
            "worst: \(ratioText(summary.median))× \(worst.ratio.label) (\(worst.row.what); rounds: "
                + "\(ratioText(summary.min))–\(ratioText(summary.max))), over \(compared.count) rows",
            passed: compared.allSatisfy { $0.ratio.summary.median >= atLeast })
    }
}

/// A row's median must be at most `atMost`.
private func valueTarget(_ name: String, _ requirement: String, row key: String, atMost: Double, unit: String) -> Target {
    Target(name: name, requirement: requirement, suite: suiteName(of: key)) { rows in
        guard let row = rows[key], let summary = row.summary else {
            return .notAvailable(rows[key]?.note ?? "not measured")
        }
        let range = "\(significant(summary.min))–\(significant(summary.max))"
        return .measured("\(significant(summary.median))\(unit) (rounds: \(range))", passed: summary.median <= atMost)
    }
}

/// "Overhead of the observation hooks when unused: ≤ 3 % on submit+result."
///
/// An unused hook is `observer == nil`: a few branches per task on a property that never
/// changes, which no benchmark on this machine can tell apart from noise. What can be measured
/// is an upper bound: the same pool with a *no-op* observer (which also builds the events and
/// reads the clock three times per task). If that bound is within 3 %, so is the unused cost.
/// If it is not, the target cannot be decided from this run. The A/A median (the same pool
/// against itself) shows how far a median drifts by noise alone; beyond 3 %, nothing is judged.
private func observerTarget() -> Target {
    Target(name: "observer hooks unused, cost on submit+result", requirement: "≤ 3 %", suite: "observer") { rows in
        guard let bound = rows["observer.noop.overhead"]?.summary else {
            return .notAvailable(rows["observer.noop.overhead"]?.note ?? "not measured")
        }
        // The median of the A/A differences shows how far a median can drift by noise alone.
        var noiseText = ""
        if let noise = rows["observer.nil-b.overhead"]?.summary {
            noiseText = "; A/A median \(formatted(noise.median, .percent)) %"
            if abs(noise.median) > 3 {
                return .notAvailable("too noisy a run to judge: the same pool against itself differs by "
                                     + "\(formatted(noise.median, .percent)) %")
            }
        }
        if bound.median <= 3 {
            return .measured(
                "upper bound: a no-op observer costs \(formatted(bound.median, .percent)) %\(noiseText)", passed: true)
        }
        return .notAvailable(
            "a no-op observer costs \(formatted(bound.median, .percent)) %, too much to bound the unused hooks by; "
                + "those are a few untaken branches per task (Sources/Measuring/bench/README.md: measuring unused hooks)\(noiseText)")
    }
}

private func suiteName(of key: String) -> String { String(key.prefix { $0 != "." }) }
