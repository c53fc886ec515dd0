import SystemPlatform

/// Counts the primes in `range` by trial division: pure CPU work, the same few microseconds
/// per number on any thread, used wherever a lesson needs computation rather than waiting.
///
///     countPrimes(in: 0..<100)    // 25
public func countPrimes(in range: Range<Int>) -> Int {
    var count = 0
    for candidate in range where candidate >= 2 {
        var divisor = 2
        var isPrime = true
        while divisor * divisor <= candidate {
            if candidate % divisor == 0 { isPrime = false; break }
            divisor += 1
        }
        if isPrime { count += 1 }
    }
    return count
}

/// The cores this process may run on (Python 3.13: `os.process_cpu_count()`): the right size
/// for a pool that computes.
public func usableCoreCount() -> Int {
    availableProcessorCount()
}
