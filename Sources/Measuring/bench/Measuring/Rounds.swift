/// One of the programs a suite compares: our pool, a GCD version, a task group, a Python script.
struct Program {
    /// A short stable name: "ours", "gcd", "cpython". Rows and ratios refer to it.
    var key: String
    /// What the table calls it: "ThreadPoolExecutor, 2 workers".
    var name: String
    /// Runs the workload once and returns its measurements by metric name, such as
    /// `["rate": 512_000]` or `["p50": 8.1, "p99": 31.0]`. The program times itself, so that
    /// what is outside the workload (starting a Python interpreter, usually creating and
    /// warming up a pool) stays outside its clock; each suite says what its clock covers.
    var measure: () throws -> [String: Double]
    /// Runs before the rounds, untimed, to bring the program up to speed (code paged in, caches
    /// and allocator warm, an idle core woken up). `nil`: one untimed `measure`.
    var warmUp: (() throws -> Void)? = nil
    /// Why this program cannot run here (no `python3`, say); it is then skipped.
    var unavailable: String? = nil
}

extension Program {
    /// A program that measures a rate: `run(n)` does the workload on `n` tasks and returns tasks
    /// per second. Measured on `count` tasks; warmed up on `warmUpCount`.
    ///
    ///     Program.rate(key: "ours", name: "ThreadPoolExecutor", count: tasks, warmUpCount: tasks / 10) {
    ///         try submitThroughput(tasks: $0, workers: 2)
    ///     }
    static func rate(key: String, name: String, count: Int, warmUpCount: Int, _ run: @escaping (Int) throws -> Double) -> Program {
        Program(key: key, name: name, measure: { ["rate": try run(count)] }, warmUp: { _ = try run(warmUpCount) })
    }
}

/// What `alternate` measured: for each program and metric, one value per round.
struct Measurements {
    let rounds: Int
    private var values: [String: [String: [Double?]]] = [:]
    /// Programs with missing values, and why (skipped, or failed in some round).
    private(set) var problems: [String: String] = [:]

    init(rounds: Int) { self.rounds = rounds }

    /// The values of `metric` for `program`, one per round (`nil` where it has none).
    func series(_ program: String, _ metric: String) -> [Double?] {
        values[program]?[metric] ?? Array(repeating: nil, count: rounds)
    }

    /// The non-missing values of `series(program, metric)`.
    func samples(_ program: String, _ metric: String) -> [Double] {
        series(program, metric).compactMap { $0 }
    }

    /// Why `program` has missing values, if it has.
    func problem(_ program: String) -> String? { problems[program] }

    mutating func record(_ program: String, round: Int, _ metrics: [String: Double]) {
        for (metric, value) in metrics {
            var series = values[program]?[metric] ?? Array(repeating: nil, count: rounds)
            series[round] = value
            values[program, default: [:]][metric] = series
        }
    }

    mutating func recordProblem(_ program: String, _ problem: String) {
        problems[program] = problem
    }

    /// Adds a series computed round by round from the others, such as "the fastest CPython
    /// variant" or "the overhead of an observer": `compute` gets the round's index and returns
    /// that round's value (`nil` when its inputs are missing).
    mutating func derive(_ program: String, _ metric: String, _ compute: (Int) -> Double?) {
        values[program, default: [:]][metric] = (0..<rounds).map(compute)
    }
}

/// Measures `programs` the way a noisy machine needs:
///
/// 1. **Warm-up**: every program runs once, untimed.
/// 2. **Rounds, alternating**: each round runs every program once, one after the other. The
///    order rotates from round to round (A B C, then B C A, then C A B, ...), so no program
///    always runs first, or always right after a particular other one. A slow moment of the
///    machine (someone else's build) then hits all programs about equally, and the per-round
///    ratios stay meaningful even when the absolute figures wander.
///
/// A program that throws is reported in `problems` and not run again.
func alternate(_ programs: [Program], rounds: Int, context: BenchContext, label: String) -> Measurements {
    var measurements = Measurements(rounds: rounds)
    var failed: Set<String> = []
    for program in programs {
        if let reason = program.unavailable {
            measurements.recordProblem(program.key, reason)
            failed.insert(program.key)
        }
    }

    for program in programs where !failed.contains(program.key) {
        context.progress("\(label): warming up: \(program.name)")
        do {
            if let warmUp = program.warmUp { try warmUp() } else { _ = try program.measure() }
        } catch {
            measurements.recordProblem(program.key, "failed while warming up: \(error)")
            failed.insert(program.key)
        }
    }

    for round in 0..<rounds {
        for offset in 0..<programs.count {
            let program = programs[(round + offset) % programs.count]
            guard !failed.contains(program.key) else { continue }
            context.progress("\(label): round \(round + 1) of \(rounds): \(program.name)")
            do {
                measurements.record(program.key, round: round, try program.measure())
            } catch {
                measurements.recordProblem(program.key, "failed in round \(round + 1): \(error)")
                failed.insert(program.key)
            }
        }
    }
    return measurements
}

/// Something a row is compared with: the same metric of another program (or `metric` of it).
struct Peer {
    /// The ratio's key, for target checks and JSON: "gcd", "cpython", "sequential".
    var key: String
    /// What the table prints after the ratio: "GCD async+group".
    var label: String
    /// The program measured in the same rounds.
    var program: String
    /// Its metric to compare with; `nil`: the row's own metric.
    var metric: String? = nil
}

extension Measurements {
    /// A table row for `program`'s `metric`, with its ratios against `peers` (see `Ratio`).
    func row(
        suite: String, program: String, metric: String, what: String, unit: Unit,
        peers: [Peer] = [], note: String? = nil
    ) -> Row {
        let ours = series(program, metric)
        var ratios: [Ratio] = []
        for peer in peers {
            let theirs = series(peer.program, peer.metric ?? metric)
            if let summary = pairedRatio(ours, theirs, higherIsBetter: unit.higherIsBetter) {
                ratios.append(Ratio(key: peer.key, label: peer.label, summary: summary))
            }
        }
        let values = ours.compactMap { $0 }
        var notes = [note].compactMap { $0 }
        if let problem = problem(program) { notes.append(problem) }
        return Row(
            suite: suite, key: "\(suite).\(program).\(metric)", what: what, unit: unit,
            summary: Summary(values), samples: values, ratios: ratios,
            note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }
}
