/// What every future offers, whatever its value type: the part of `Future` that `wait` and
/// `asCompleted` use. It lets futures of different value types be waited on together:
///
///     let page: Future<String> = try pool.submit { fetch(url) }
///     let size: Future<Int> = try pool.submit { measure(file) }
///     let (done, notDone) = try wait([page, size], returnWhen: .firstCompleted)
///     // done and notDone are sets of AnyFuture
///
/// Python's futures are untyped, so it needs nothing like this.
public protocol FutureProtocol: Sendable {
    var isDone: Bool { get }
    var isRunning: Bool { get }
    var isCancelled: Bool { get }
    @discardableResult func cancel() -> Bool
    func exception(timeout: Duration?) throws -> (any Error)?
    /// This future with its value type erased, to be put in a set with other futures.
    var erased: AnyFuture { get }
}

/// A future of any value type, compared by the identity of the future it wraps.
///
/// Get the typed future back with `as(_:)`:
///
///     for future in done {
///         if let page = future.as(Future<String>.self) { print(try page.result()) }
///     }
public struct AnyFuture: FutureProtocol, Hashable, CustomStringConvertible {
    /// The wrapped future.
    public let base: any FutureProtocol
    /// The same future, as the library's machinery sees it (`UntypedFuture`).
    let untyped: any UntypedFuture & AnyObject

    init<Value>(_ future: Future<Value>) {
        base = future
        untyped = future
    }

    public var isDone: Bool { base.isDone }
    public var isRunning: Bool { base.isRunning }
    public var isCancelled: Bool { base.isCancelled }
    @discardableResult public func cancel() -> Bool { base.cancel() }
    public func exception(timeout: Duration? = nil) throws -> (any Error)? { try base.exception(timeout: timeout) }
    public var erased: AnyFuture { self }

    /// The wrapped future as a `Future<Value>`, or `nil` if its value type is another.
    public func `as`<Value>(_ type: Future<Value>.Type) -> Future<Value>? { base as? Future<Value> }

    public var description: String { "\(base)" }
    public static func == (lhs: AnyFuture, rhs: AnyFuture) -> Bool { lhs.untyped === rhs.untyped }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(untyped)) }
}

extension Future: FutureProtocol {
    public var erased: AnyFuture { AnyFuture(self) }
}
