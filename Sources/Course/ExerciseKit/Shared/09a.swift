import ConcurrentFutures

// Exercise 09a, Stop the search.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// Where the target was found: shard number and position in that shard.
public struct Found: Sendable, Equatable, CustomStringConvertible {
    public var shard: Int
    public var index: Int
    public init(shard: Int, index: Int) { (self.shard, self.index) = (shard, index) }
    public var description: String { "shard \(shard), index \(index)" }
}
