/// A future seen without its value type, the way Python sees every future: what the library's
/// own machinery needs of one. `wait` and `asCompleted` register a waiter with it; a pool
/// cancels it at shutdown (`shutdown(cancelFutures: true)`), fails it when the pool breaks, and
/// names it in events and deadlock reports.
///
///     // in ThreadPoolExecutor, when an initializer has failed:
///     for item in queued { item.future.fail(with: broken) }   // item.future: any UntypedFuture & AnyObject
///
/// Internal: it is not part of the API a learner has to read. The public face of a future of
/// any value type is `FutureProtocol` and `AnyFuture`. The pool holds its futures as
/// `any UntypedFuture & AnyObject`: an existential of a class is two words, copied with a
/// plain retain, where one of any type is five words, copied through its type's value witness.
protocol UntypedFuture: Sendable {
    /// Which pool and task the future comes from; `nil` for a future made with `Future()`.
    var origin: TaskOrigin? { get }
    /// Registers `waiter` unless the future is already done; returns how it ended if it is.
    func register(_ waiter: FutureWaiter, token: Int) -> Completion?
    func unregister(_ waiter: FutureWaiter)
    /// Cancels the future; `true` if it is cancelled now. Python: `cancel()`.
    @discardableResult func cancel() -> Bool
    /// Fails the future without running its task.
    func fail(with error: any Error)
}

extension Future: UntypedFuture {
    func fail(with error: any Error) { try? setException(error) }
}

extension AnyFuture: UntypedFuture {
    var origin: TaskOrigin? { untyped.origin }
    func register(_ waiter: FutureWaiter, token: Int) -> Completion? { untyped.register(waiter, token: token) }
    func unregister(_ waiter: FutureWaiter) { untyped.unregister(waiter) }
    func fail(with error: any Error) { untyped.fail(with: error) }
}
