/// Whether resident memory grows with the work done: the verdict of the memory check, from
/// the resident memory read after each batch of tasks.
///
/// A leak costs memory on every task and never gives it back, so it raises the level after
/// *every* batch. Other things move resident memory too, and must not be called a leak:
/// - the allocator keeps freed memory for reuse, so the first batches raise the level: the
///   warm-up batches are not judged;
/// - it gives some back and takes it again, so the level swings up and down by hundreds of KiB
///   from one batch to the next;
/// - on a machine with many cores it may give a thread an arena of its own in the middle of
///   the run: a step of several MiB, after which the level is flat again (seen on 16 cores: a
///   12 MiB step, which the old verdict, "the last batch over the first", called a leak).
///
/// So the verdict follows the *floor*: after each judged batch, the lowest level memory comes
/// back to from then on (the least reading from that batch to the end), which swings do not
/// move and a leak raises batch after batch. It takes the **median** of the floor's growth from
/// one batch to the next: a one-off step is one of those growths, a leak is all of them.
/// Divided by the tasks of a batch, that is the growth per task; `leakThreshold` or more is a
/// leak.
///
///     let growth = MemoryGrowth(residentAfterBatch: readings, tasksPerBatch: 10_000)
///     print(growth.isFlat ? "flat" : "grows \(growth.bytesPerTask) bytes per task")
public struct MemoryGrowth: Sendable, Equatable {
    /// Batches at the start that are not judged: the allocator's warm-up.
    public static let warmUpBatches = 3
    /// Growth per task, in bytes, from which memory is said to grow. The smallest block a
    /// leaked allocation holds is 16 bytes on macOS and 32 on Linux (glibc), so a leak of one
    /// allocation per task is at least twice this.
    public static let leakThreshold = 8.0

    /// Resident memory after each batch, in bytes.
    public let residentAfterBatch: [Int]
    public let tasksPerBatch: Int

    public init(residentAfterBatch: [Int], tasksPerBatch: Int) {
        self.residentAfterBatch = residentAfterBatch
        self.tasksPerBatch = tasksPerBatch
    }

    /// After each judged batch, the lowest level resident memory comes back to from then on.
    public var floor: [Int] {
        var lowest = Int.max
        let floors = residentAfterBatch.dropFirst(Self.warmUpBatches - 1).reversed().map { reading in
            lowest = min(lowest, reading)
            return lowest
        }
        return floors.reversed()
    }

    /// The floor's growth from each judged batch to the next, in bytes (never negative).
    public var growthPerBatch: [Int] {
        let floor = self.floor
        return zip(floor, floor.dropFirst()).map { $1 - $0 }
    }

    /// The median of `growthPerBatch`: what a typical batch adds for good.
    public var medianGrowthPerBatch: Double {
        let sorted = growthPerBatch.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// What a typical task adds to resident memory, in bytes.
    public var bytesPerTask: Double {
        tasksPerBatch > 0 ? medianGrowthPerBatch / Double(tasksPerBatch) : 0
    }

    /// The largest growth from one batch to the next: a one-off step shows here, and only here.
    public var largestStep: Int { growthPerBatch.max() ?? 0 }

    /// From the first judged batch to the last.
    public var totalGrowth: Int {
        guard residentAfterBatch.count >= Self.warmUpBatches else { return 0 }
        return residentAfterBatch.last! - residentAfterBatch[Self.warmUpBatches - 1]
    }

    /// A typical task adds less than `leakThreshold` bytes.
    public var isFlat: Bool {
        bytesPerTask < Self.leakThreshold
    }

    /// The figures the verdict is made of, on one line.
    public var figures: String {
        func mebibytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
        func kibibytes(_ bytes: Int) -> String { String(format: "%.0f", Double(bytes) / 1024) }
        return "resident MiB after each batch: \(residentAfterBatch.map(mebibytes).joined(separator: ", ")); "
            + "growth of the floor per batch after \(Self.warmUpBatches) warm-up batches, KiB: "
            + "\(growthPerBatch.map(kibibytes).joined(separator: ", ")); "
            + String(format: "median %.0f KiB per batch = %.2f bytes per task (a leak: %.0f or more); ",
                     medianGrowthPerBatch / 1024, bytesPerTask, Self.leakThreshold)
            + "largest step \(mebibytes(largestStep)) MiB, from first judged batch to last \(mebibytes(totalGrowth)) MiB"
    }
}
