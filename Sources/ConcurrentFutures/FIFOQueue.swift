/// A first-in, first-out queue on a ring buffer: appending and taking the first element cost
/// O(1) and, once the buffer has grown, allocate nothing.
///
/// `MapResults` keeps its submitted futures in one, the process pool its waiting calls. It is a
/// plain value with no locking: its owner guards it. (The thread pool's queue, which many
/// threads use at once, is `WorkQueue`.)
///
///     var queue = FIFOQueue<String>()
///     queue.append("a"); queue.append("b")
///     queue.popFirst()   // "a"
struct FIFOQueue<Element> {
    private var slots: [Element?] = []
    /// Index of the first element in `slots`.
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// `consuming`: a caller that does not use `element` afterwards hands it over without a
    /// copy (for a class, no retain here and release there).
    mutating func append(_ element: consuming Element) {
        if count == slots.count { grow() }
        slots[(head + count) & (slots.count - 1)] = element
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = slots[head].take()  // moved out, leaving nil: no copy, no retain
        head = (head + 1) & (slots.count - 1)
        count -= 1
        return element
    }

    /// Empties the queue and returns what it held, first element first.
    mutating func removeAll() -> [Element] {
        var all: [Element] = []
        all.reserveCapacity(count)
        while let element = popFirst() { all.append(element) }
        return all
    }

    /// Doubles the buffer (its size stays a power of two, so `& (size - 1)` wraps an index)
    /// and moves the elements to the front of it (moves: `take()` leaves nil behind, so no
    /// element is retained for the new buffer and released with the old one).
    private mutating func grow() {
        let newSize = max(16, slots.count * 2)
        var newSlots = [Element?](repeating: nil, count: newSize)
        for offset in 0..<count {
            newSlots[offset] = slots[(head + offset) & (slots.count - 1)].take()
        }
        slots = newSlots
        head = 0
    }
}
