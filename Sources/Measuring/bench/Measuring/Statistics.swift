/// The few statistics the bench reports. On a shared, noisy machine the mean is pulled around
/// by a single slow round, so every figure is a **median**, shown with the **min–max** range of
/// the rounds it came from.

/// The middle value (the mean of the two middle values for an even count).
func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of nothing")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// The nearest-rank percentile of `sorted` (ascending): the smallest value with at least
/// `fraction` of the values at or below it. `percentile(sorted, 0.99)` of 1,000 samples is the
/// 990th smallest. The Python scripts use the same definition.
func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    precondition(!sorted.isEmpty, "percentile of nothing")
    let rank = Int((fraction * Double(sorted.count)).rounded()) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

/// Median, minimum and maximum of a set of measurements.
struct Summary: Codable, Equatable {
    var median: Double
    var min: Double
    var max: Double

    /// `nil` when there is nothing to summarize (a program that was skipped or failed).
    init?(_ values: [Double]) {
        guard let low = values.min(), let high = values.max() else { return nil }
        // `bench.median`: the free function above (this module is `bench`); a plain `median`
        // here would mean this struct's own property.
        median = bench.median(values)
        min = low
        max = high
    }
}
