import ConcurrentFutures

// Exercise 11a, Primes on a process pool.
//
// The types that the exercise and its check both name. They live here, not in the exercise
// file, because the check (and the solution) must name them too; the stub repeats their shape
// in its instructions, so a learner need not come here to read them.

/// Whether `number` is a prime, by trial division: slow on purpose, real CPU work.
public func isPrime(_ number: Int) -> Bool {
    if number < 2 { return false }
    if number < 4 { return true }
    if number % 2 == 0 { return false }
    var divisor = 3
    while divisor * divisor <= number {
        if number % divisor == 0 { return false }
        divisor += 2
    }
    return true
}
