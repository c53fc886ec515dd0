import SystemPlatform

/// Runs the done-callbacks of futures so that a chain of callbacks that complete one another
/// cannot overflow the stack.
///
/// A callback may complete another future (cancel it, set its result), whose callbacks then run
/// on the same thread, from inside the first callback: nested calls. Ten thousand futures
/// chained that way would nest ten thousand deep, and a thread's stack runs out (Python's
/// survives by catching the `RecursionError` in each callback). Here the nesting stops at
/// `maximumDepth`: deeper callbacks are put aside and run, in order, once the outermost callback
/// of the chain returns, on the same thread. Shallow chains, by far the common case, still run
/// nested, exactly when their future completes.
///
///     CallbackCascade.run { for callback in callbacks { invoke(callback) } }
enum CallbackCascade {
    /// How deep callbacks may nest before they are put aside.
    static let maximumDepth = 32

    /// Runs `callbacks` now, or later on this thread if the cascade is already `maximumDepth`
    /// deep.
    static func run(_ callbacks: @escaping () -> Void) {
        if let cascade = current {
            guard cascade.depth < maximumDepth else {
                cascade.postponed.append(callbacks)
                return
            }
            cascade.depth += 1
            callbacks()
            cascade.depth -= 1
            return
        }
        // The outermost callbacks of a chain: they own the cascade of this thread.
        let cascade = Cascade()
        current = cascade
        defer { current = nil }
        callbacks()
        while let next = cascade.postponed.popFirst() {
            next()  // at depth 1 again: it may nest `maximumDepth` deep in turn
        }
    }

    /// The callbacks running on one thread: how deep they nest, and what was put aside.
    /// Only ever touched by its own thread.
    private final class Cascade {
        var depth = 1
        var postponed = FIFOQueue<() -> Void>()
    }

    /// The cascade running on the calling thread, if any (a thread-local slot; unretained: the
    /// outermost `run` holds it).
    private static var current: Cascade? {
        get {
            pthread_getspecific(cascadeKey).map { Unmanaged<Cascade>.fromOpaque($0).takeUnretainedValue() }
        }
        set {
            pthread_setspecific(cascadeKey, newValue.map { Unmanaged.passUnretained($0).toOpaque() })
        }
    }
}

private let cascadeKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
    return key
}()
