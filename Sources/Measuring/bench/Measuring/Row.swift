/// What a figure counts.
enum Unit: String, Codable {
    case tasksPerSecond = "tasks/s"
    case itemsPerSecond = "items/s"
    case microseconds = "µs"
    case milliseconds = "ms"
    case seconds = "s"
    /// A relative difference, such as an overhead.
    case percent = "%"
    /// A plain factor, such as "the 100k run took 10.4 times as long as the 10k run".
    case factor = "x"

    /// Rates are better high; times (and overheads) are better low.
    var higherIsBetter: Bool {
        switch self {
        case .tasksPerSecond, .itemsPerSecond: true
        case .microseconds, .milliseconds, .seconds, .percent, .factor: false
        }
    }
}

/// How one row compares with something else: a peer program, a baseline, or an ideal.
///
/// The value is always "how many times better this row is": `ours ÷ peer` for a rate,
/// `peer ÷ ours` for a time. So 2.0 means twice as fast, 0.5 half as fast, whatever the unit.
/// It is computed round by round (each round ran both programs back to back, so a slow moment
/// of the machine hits both) and summarized over the rounds.
struct Ratio: Codable {
    /// A stable name for the comparison, used by the target checks and in JSON: "gcd", "cpython".
    var key: String
    /// What the table shows after the number: "GCD async+group", "of ideal".
    var label: String
    var summary: Summary
}

/// One line of the results table: one program on one workload (and one metric of it).
struct Row: Codable {
    /// The suite it belongs to (`--suite` name).
    var suite: String
    /// A stable identifier, "suite.program.metric", for the target checks and JSON readers.
    var key: String
    /// What was measured, as the table shows it.
    var what: String
    var unit: Unit
    /// Median, min and max over the rounds; `nil` when the program did not run (see `note`).
    var summary: Summary?
    /// Every round's value, in the order of the rounds.
    var samples: [Double]
    var ratios: [Ratio] = []
    /// Anything a reader must know to read the row right (a scaled-down workload, why it is n/a).
    var note: String?

    func ratio(_ key: String) -> Ratio? { ratios.first { $0.key == key } }
}

/// Compares two series of measurements taken in the same rounds; see `Ratio`.
///
/// - Parameters:
///   - ours, peer: one value per round (`nil` where a round has no value).
///   - higherIsBetter: whether the values are rates (`ours ÷ peer`) or times (`peer ÷ ours`).
/// - Returns: the summary of the per-round ratios, `nil` if no round has both values.
func pairedRatio(_ ours: [Double?], _ peer: [Double?], higherIsBetter: Bool) -> Summary? {
    var ratios: [Double] = []
    for (mine, theirs) in zip(ours, peer) {
        guard let mine, let theirs, mine > 0, theirs > 0 else { continue }
        ratios.append(higherIsBetter ? mine / theirs : theirs / mine)
    }
    return Summary(ratios)
}
